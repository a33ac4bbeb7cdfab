"""``python -m claimx.reporting CLAIMS``: the same as ``claimx report CLAIMS``."""

from __future__ import annotations

if __name__ == "__main__":
    import argparse

    from .cli import add_arguments, run

    raise SystemExit(run(add_arguments(argparse.ArgumentParser(prog="python -m claimx.reporting")).parse_args()))
