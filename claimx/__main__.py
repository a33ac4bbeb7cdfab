from claimx.cli import main

raise SystemExit(main())
