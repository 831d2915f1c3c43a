"""`python -m bot` starts the bot service, like `charter run`."""

from bot.serve import run

raise SystemExit(run())
