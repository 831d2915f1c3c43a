"""`python -m bot` starts the bot service, like `charter run`."""

from cli.main import main

raise SystemExit(main(["run"]))
