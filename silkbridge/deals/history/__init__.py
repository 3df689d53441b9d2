"""The deals app's history: one module per part, one function per kind of change, called by the services
inside their transaction, so that a change and its history row are stored together or not at all."""
