"""``python -m claimx.places [GOLD.tsv]``: precision and recall of find_places on a gold file."""

from __future__ import annotations

if __name__ == "__main__":
    from .evaluation import main

    raise SystemExit(main())
