"""The deals app's history rows, one module per part: each function writes one *Event row and is called
by the part's service inside its transaction, so that a change and its history are stored together."""
