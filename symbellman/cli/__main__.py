"""``python -m symbellman.cli > docs/cli.md``: print the command-line reference."""

import sys

from . import reference

if __name__ == "__main__":
    sys.stdout.write(reference())
