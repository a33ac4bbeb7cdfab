"""The ``claimx`` console script: Ctrl-C while the command is still starting up prints one line too."""

from __future__ import annotations

import sys


def run() -> None:
    """Import the command line inside the guard, then run it."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        print("claimx: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    raise SystemExit(main())
