"""``python -m symbellman``: the command line."""

from .cli import main

raise SystemExit(main())
