"""The zones engines: plain Python (no Django), plain data in and out."""
