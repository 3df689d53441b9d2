"""The deals pages' forms, one module per part."""
