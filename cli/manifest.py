"""`charter manifest`: build the Teams app package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import VERSION
from cli.support import Commands, cli_settings

# Used by `charter manifest` only when no MicrosoftAppId is configured; said so loudly.
DEVELOPMENT_APP_ID = "c4a27e00-0000-4000-8000-00000000d3f0"


def cmd_manifest(args: argparse.Namespace) -> int:
    from bot.teams.app_package import DEFAULT_MANIFEST_DIR, build_app_package

    settings = cli_settings()
    app_id = args.app_id or settings.app_id or DEVELOPMENT_APP_ID
    domains = [d for d in (settings.public_hostname,) if d]
    try:
        out = build_app_package(
            manifest_dir=DEFAULT_MANIFEST_DIR,
            out_path=Path(args.out),
            app_id=app_id,
            version=args.version or VERSION,
            domains=domains,
        )
    except ValueError as error:
        print(f"charter: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out} (app id {app_id})")
    if app_id == DEVELOPMENT_APP_ID:
        print(
            "note: MicrosoftAppId is not set, so this package carries a development id. "
            "Set MicrosoftAppId (or pass --app-id) to the Azure Bot's id before uploading."
        )
    return 0


def register(commands: Commands) -> None:
    manifest = commands.add("manifest", help="build the Teams app package")
    manifest.add_argument("--app-id", help="override MicrosoftAppId")
    manifest.add_argument("--version", help=f"app version (default {VERSION})")
    manifest.add_argument("--out", default="build/appPackage.zip", help="output zip")
    manifest.set_defaults(func=cmd_manifest)
