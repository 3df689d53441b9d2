"""The deals app's history rows, one module per part: each function writes one *Event row inside the
calling service's transaction, so a change and its history are stored together or not at all."""
