"""The version of symbellman (a leaf module: the writers and the CLI print it without
importing the whole package)."""

__version__ = "0.1.0"
