"""Silkbridge: software for a cross-border science and technology cooperation center."""

__version__ = "0.1.0"
