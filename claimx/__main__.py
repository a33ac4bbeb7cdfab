from claimx.console import run

run()
