"""`python -m bot` starts the bot service, like `charter run`."""

from bot.cli import main

raise SystemExit(main(["run"]))
