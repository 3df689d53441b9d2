"""The deals API's schemas, one module per part."""
