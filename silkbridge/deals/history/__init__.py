"""The deals app's history: one module per part, each with one function per kind of change, called by
the part's services inside their transaction, so a change and its history row are stored together or
not at all (Saleor's `events.py`)."""
