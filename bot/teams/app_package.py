"""Build the Teams app package (appPackage.zip) from ``manifest/``.

The committed ``manifest/manifest.json`` carries placeholder values (the nil GUID as app id,
``https://charter.example.org/...`` URLs, no valid domains) so it validates against the
official schema on its own. :func:`build_app_package` fills in the real values and zips
``manifest.json``, ``color.png`` and ``outline.png`` at the root of the archive, which is
what Teams expects to be uploaded. The bot's command menu is written from the chat route
table (``dialogs.table``), the same table the bot answers from, so the menu cannot offer a
command the bot does not know.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dialogs.table import ROUTES

DEFAULT_MANIFEST_DIR = Path(__file__).resolve().parents[2] / "manifest"
MANIFEST_FILE = "manifest.json"
SCHEMA_PATH = Path("schema") / "MicrosoftTeams.schema.json"
ICON_SIZES: dict[str, int] = {"color": 192, "outline": 32}

NIL_GUID = "00000000-0000-0000-0000-000000000000"
_GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# Same rule as the schema's "semver" definition: MAJOR.MINOR.PATCH, numbers only.
_SEMVER_RE = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def load_manifest(manifest_dir: Path = DEFAULT_MANIFEST_DIR) -> dict[str, Any]:
    """Read ``manifest.json`` from ``manifest_dir``."""
    path = Path(manifest_dir) / MANIFEST_FILE
    with path.open(encoding="utf-8") as fh:
        manifest: dict[str, Any] = json.load(fh)
    return manifest


def manifest_commands(manifest: dict[str, Any]) -> list[str]:
    """The bot command titles, in manifest order (all command lists, no duplicates)."""
    titles: list[str] = []
    for bot in manifest.get("bots", []):
        for command_list in bot.get("commandLists", []):
            for command in command_list.get("commands", []):
                title = command["title"]
                if title not in titles:
                    titles.append(title)
    return titles


def command_menu() -> list[dict[str, str]]:
    """The manifest's bot command list: the route table's listed commands, in help order."""
    return [
        {"title": c.title, "description": c.menu_description or c.description}
        for c in ROUTES.listed
    ]


def validate_app_id(app_id: str) -> str:
    """Return ``app_id`` normalised to lower case, or raise ValueError if it is not a GUID."""
    value = (app_id or "").strip()
    if not _GUID_RE.match(value):
        raise ValueError(
            f"Teams app id must be a GUID like 1b2c3d4e-0000-4000-8000-123456789abc "
            f"(the bot's Microsoft App ID, env var MicrosoftAppId); got {app_id!r}"
        )
    if value == NIL_GUID:
        raise ValueError(
            "Teams app id is the placeholder nil GUID; set MicrosoftAppId to the bot's "
            "Microsoft App ID"
        )
    return value.lower()


def validate_version(version: str) -> str:
    value = (version or "").strip()
    if not _SEMVER_RE.match(value):
        raise ValueError(
            f"Teams app version must be MAJOR.MINOR.PATCH numbers only (e.g. 1.4.0); "
            f"got {version!r}"
        )
    return value


def normalise_domain(domain: str) -> str:
    """Reduce a URL or host (``https://bot.example.org:443/api``) to its host name.

    A leading ``*.`` wildcard is kept, as Teams allows it in ``validDomains``.
    """
    raw = (domain or "").strip()
    if not raw:
        raise ValueError("empty domain in validDomains")
    wildcard = ""
    text = raw if "://" in raw else f"//{raw}"
    if "*." in text:
        # urlsplit rejects nothing, but keep the wildcard out of the host check below.
        wildcard, text = "*.", text.replace("*.", "", 1)
    host = (urlsplit(text).hostname or "").rstrip(".").lower()
    labels = host.split(".") if host else []
    if not labels or not all(_HOST_LABEL_RE.match(label) for label in labels):
        raise ValueError(f"not a host name or URL for validDomains: {domain!r}")
    return wildcard + host


def normalise_domains(domains: list[str]) -> list[str]:
    """Host names only, in first-seen order, without duplicates."""
    seen: list[str] = []
    for domain in domains:
        host = normalise_domain(domain)
        if host not in seen:
            seen.append(host)
    return seen


def _https_url(name: str, url: str) -> str:
    value = url.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise ValueError(f"{name} must be an https:// URL; got {url!r}")
    return value


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def fill_manifest(
    manifest: dict[str, Any],
    *,
    app_id: str,
    version: str,
    domains: list[str],
    website_url: str | None = None,
    privacy_url: str | None = None,
    terms_url: str | None = None,
) -> dict[str, Any]:
    """Return a copy of ``manifest`` with the build-time values filled in."""
    out = copy.deepcopy(manifest)
    app_id = validate_app_id(app_id)
    out["id"] = app_id
    bots = out.get("bots") or []
    if not bots:
        raise ValueError("manifest.json has no bots entry to attach the app id to")
    bots[0]["botId"] = app_id
    for command_list in bots[0].get("commandLists", []):
        command_list["commands"] = command_menu()
    out["version"] = validate_version(version)
    out["validDomains"] = normalise_domains(domains)
    developer = out.setdefault("developer", {})
    for key, value, label in (
        ("websiteUrl", website_url, "website_url"),
        ("privacyUrl", privacy_url, "privacy_url"),
        ("termsOfUseUrl", terms_url, "terms_url"),
    ):
        if value:
            developer[key] = _https_url(label, value)
    return out


def schema_validator(manifest_dir: Path = DEFAULT_MANIFEST_DIR) -> Any:
    """A jsonschema validator for the offline copy of the official schema (needs ``jsonschema``).

    The schema declares draft-04 but also uses ``const`` (on ``manifestVersion``) and
    ``if``/``then``, which draft-04 does not define; Microsoft's own tooling (ajv) honours
    them, so the draft-04 validator is extended with the draft-07 implementations of those
    keywords. The schema has no remote ``$ref``s, so no network is needed. It is not
    meta-validated: one Office add-in pattern uses ``\\p{L}``, which Python's ``re`` does not
    support, and Charter's manifest never reaches that part of the schema.
    """
    import jsonschema  # dev dependency; imported lazily so the bot does not need it

    with (Path(manifest_dir) / SCHEMA_PATH).open(encoding="utf-8") as fh:
        schema = json.load(fh)
    draft7 = jsonschema.Draft7Validator.VALIDATORS
    cls = jsonschema.validators.extend(
        jsonschema.Draft4Validator, {"const": draft7["const"], "if": draft7["if"]}
    )
    return cls(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def manifest_errors(
    manifest: dict[str, Any], manifest_dir: Path = DEFAULT_MANIFEST_DIR
) -> list[str]:
    """Every schema violation in ``manifest`` as ``"json/path: message"`` strings."""
    errors = sorted(
        schema_validator(manifest_dir).iter_errors(manifest),
        key=lambda e: [str(part) for part in e.absolute_path],
    )
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def validate_manifest(manifest: dict[str, Any], manifest_dir: Path = DEFAULT_MANIFEST_DIR) -> None:
    """Raise ValueError listing every schema violation in ``manifest``."""
    errors = manifest_errors(manifest, manifest_dir)
    if errors:
        raise ValueError("manifest does not match the Teams schema:\n  " + "\n  ".join(errors))


def build_app_package(
    *,
    manifest_dir: Path,
    out_path: Path,
    app_id: str,
    version: str,
    domains: list[str],
    website_url: str | None = None,
    privacy_url: str | None = None,
    terms_url: str | None = None,
    validate: bool = True,
) -> Path:
    """Write the Teams app package zip to ``out_path`` and return that path.

    With ``validate`` (the default) the filled manifest is checked against the offline
    schema when ``jsonschema`` is installed; icon sizes are always checked.
    """
    manifest_dir = Path(manifest_dir)
    manifest = fill_manifest(
        load_manifest(manifest_dir),
        app_id=app_id,
        version=version,
        domains=domains,
        website_url=website_url,
        privacy_url=privacy_url,
        terms_url=terms_url,
    )
    # jsonschema is a dev extra; without it only the checks above and the icon checks run.
    if validate and importlib.util.find_spec("jsonschema") is not None:
        validate_manifest(manifest, manifest_dir)

    icons: dict[str, bytes] = {}
    for kind, size in ICON_SIZES.items():
        name = manifest["icons"][kind]
        data = (manifest_dir / name).read_bytes()
        if png_size(data) != (size, size):
            raise ValueError(f"{name} must be {size}x{size}; it is {png_size(data)}")
        icons[name] = data

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    entries = {MANIFEST_FILE: body.encode("utf-8"), **icons}
    with zipfile.ZipFile(out_path, "w") as zf:
        for name, data in entries.items():
            # Fixed timestamp: the same inputs give a byte-identical package.
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return out_path
