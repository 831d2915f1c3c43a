"""The Teams app package: manifest, icons and build_app_package."""

from __future__ import annotations

import importlib.util
import json
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from bot.teams.app_package import (
    DEFAULT_MANIFEST_DIR,
    build_app_package,
    load_manifest,
    manifest_commands,
    manifest_errors,
    normalise_domains,
)

MANIFEST_DIR = DEFAULT_MANIFEST_DIR
SCHEMA_FILE = MANIFEST_DIR / "schema" / "MicrosoftTeams.schema.json"
APP_ID = "6f1c2a7e-3b4d-4e5f-9a0b-1c2d3e4f5a6b"


def test_schema_copy_is_the_official_draft04_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert "MicrosoftTeams.schema.json" in (MANIFEST_DIR / "schema" / "SOURCE.md").read_text()
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert refs and all(ref.startswith("#/") for ref in refs), "validation must stay offline"


def _png_ihdr(data: bytes) -> tuple[int, int, int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height, depth, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour_type


def _decode_rgba(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Decode an 8-bit RGBA, non-interlaced PNG whose rows all use filter type 0."""
    width, height, depth, colour_type = _png_ihdr(data)
    assert (depth, colour_type, data[28]) == (8, 6, 0), "expect 8-bit RGBA, no interlace"
    idat = b""
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        assert (
            zlib.crc32(kind + body) & 0xFFFFFFFF
            == struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        )
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    assert len(raw) == stride * height
    pixels = []
    for y in range(height):
        row = raw[y * stride : (y + 1) * stride]
        assert row[0] == 0, "make_icons.py writes filter type 0 on every row"
        pixels += [tuple(row[1 + 4 * x : 5 + 4 * x]) for x in range(width)]
    return width, height, pixels


def test_committed_manifest_validates() -> None:
    assert manifest_errors(load_manifest(MANIFEST_DIR), MANIFEST_DIR) == []


def test_schema_rejects_a_broken_manifest() -> None:
    manifest = load_manifest(MANIFEST_DIR)
    manifest["manifestVersion"] = "1.18"  # caught through the schema's "const"
    manifest["bots"][0]["botId"] = "not-a-guid"
    del manifest["developer"]["privacyUrl"]
    manifest["bots"][0]["commandLists"][0]["commands"] *= 4  # 16 > 12
    errors = manifest_errors(manifest, MANIFEST_DIR)
    assert len(errors) == 4, errors
    assert any(e.startswith("manifestVersion:") for e in errors)


def test_manifest_version_is_current() -> None:
    manifest = load_manifest(MANIFEST_DIR)
    major, minor = (int(part) for part in manifest["manifestVersion"].split("."))
    assert (major, minor) >= (1, 19)
    assert f"/v{manifest['manifestVersion']}/" in manifest["$schema"]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["properties"]["manifestVersion"]["const"] == manifest["manifestVersion"]


def test_manifest_is_a_personal_conversational_bot() -> None:
    manifest = load_manifest(MANIFEST_DIR)
    (bot,) = manifest["bots"]
    assert bot["scopes"] == ["personal"]
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False
    assert manifest["name"]["short"] == "Charter"
    assert manifest["developer"]["name"] == "Charter"


def test_commands() -> None:
    manifest = load_manifest(MANIFEST_DIR)
    titles = manifest_commands(manifest)
    # tests/unit/test_commands.py checks these against what the bot answers.
    assert titles and len(titles) == len(set(titles))
    for command_list in manifest["bots"][0]["commandLists"]:
        assert command_list["scopes"] == ["personal"]
        assert len(command_list["commands"]) <= 12
        assert all(c.get("description") for c in command_list["commands"])


def test_icon_sizes_from_ihdr() -> None:
    manifest = load_manifest(MANIFEST_DIR)
    color = (MANIFEST_DIR / manifest["icons"]["color"]).read_bytes()
    outline = (MANIFEST_DIR / manifest["icons"]["outline"]).read_bytes()
    assert _png_ihdr(color)[:2] == (192, 192)
    assert _png_ihdr(outline)[:2] == (32, 32)


def test_outline_is_white_on_transparent() -> None:
    width, height, pixels = _decode_rgba((MANIFEST_DIR / "outline.png").read_bytes())
    assert (width, height) == (32, 32)
    for r, g, b, a in pixels:
        assert a == 0 or (r, g, b) == (255, 255, 255)
    assert any(a == 255 for *_, a in pixels), "outline icon should not be empty"
    assert any(a == 0 for *_, a in pixels), "outline icon needs a transparent background"


def test_color_icon_is_opaque_teal_with_white_glyph() -> None:
    width, _, pixels = _decode_rgba((MANIFEST_DIR / "color.png").read_bytes())
    centre_row = pixels[96 * width : 97 * width]
    assert (0x0F, 0x6E, 0x75, 255) in centre_row
    assert (255, 255, 255, 255) in centre_row


def test_icons_are_reproducible(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "charter_make_icons", MANIFEST_DIR / "make_icons.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while executing it
    try:
        spec.loader.exec_module(module)
        module.main(tmp_path)
    finally:
        del sys.modules[spec.name]
    for name in ("color.png", "outline.png"):
        assert (tmp_path / name).read_bytes() == (MANIFEST_DIR / name).read_bytes(), (
            f"{name} is stale: run .venv/bin/python manifest/make_icons.py"
        )


def test_build_app_package(tmp_path: Path) -> None:
    out = build_app_package(
        manifest_dir=MANIFEST_DIR,
        out_path=tmp_path / "build" / "appPackage.zip",
        app_id=APP_ID.upper(),
        version="1.2.3",
        domains=[
            "https://charter.council.gov.uk/api/messages",
            "charter.council.gov.uk",
            "*.x.org",
        ],
        website_url="https://intranet.council.gov.uk/charter",
        privacy_url="https://intranet.council.gov.uk/charter/privacy",
        terms_url="https://intranet.council.gov.uk/charter/terms",
    )
    assert out == tmp_path / "build" / "appPackage.zip"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
        assert zf.read("color.png") == (MANIFEST_DIR / "color.png").read_bytes()
        assert zf.read("outline.png") == (MANIFEST_DIR / "outline.png").read_bytes()
    assert manifest_errors(manifest, MANIFEST_DIR) == []
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["version"] == "1.2.3"
    assert manifest["validDomains"] == ["charter.council.gov.uk", "*.x.org"]
    assert manifest["developer"]["privacyUrl"] == "https://intranet.council.gov.uk/charter/privacy"
    assert manifest["name"]["full"] == "Charter \u2013 people performance for councils"


def test_build_is_reproducible_and_keeps_placeholder_urls(tmp_path: Path) -> None:
    kwargs: dict[str, Any] = {
        "manifest_dir": MANIFEST_DIR,
        "app_id": APP_ID,
        "version": "0.1.0",
        "domains": [],
    }
    first = build_app_package(out_path=tmp_path / "a.zip", **kwargs)
    second = build_app_package(out_path=tmp_path / "b.zip", **kwargs)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["developer"]["websiteUrl"].startswith("https://charter.example.org/")
    assert manifest["validDomains"] == []


@pytest.mark.parametrize(
    "app_id",
    ["", "not-a-guid", "00000000-0000-0000-0000-000000000000", APP_ID + "0", "{" + APP_ID + "}"],
)
def test_bad_app_id_raises(tmp_path: Path, app_id: str) -> None:
    with pytest.raises(ValueError, match="app id"):
        build_app_package(
            manifest_dir=MANIFEST_DIR,
            out_path=tmp_path / "x.zip",
            app_id=app_id,
            version="1.0.0",
            domains=[],
        )
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0"])
def test_bad_version_raises(tmp_path: Path, version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        build_app_package(
            manifest_dir=MANIFEST_DIR,
            out_path=tmp_path / "x.zip",
            app_id=APP_ID,
            version=version,
            domains=[],
        )


def test_non_https_url_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="privacy_url"):
        build_app_package(
            manifest_dir=MANIFEST_DIR,
            out_path=tmp_path / "x.zip",
            app_id=APP_ID,
            version="1.0.0",
            domains=[],
            privacy_url="http://council.gov.uk/privacy",
        )


def test_normalise_domains() -> None:
    assert normalise_domains(
        ["HTTPS://Bot.Example.org:443/api/messages", "bot.example.org", "localhost:3978", "*.a.b"]
    ) == ["bot.example.org", "localhost", "*.a.b"]
    for bad in ["", "https://", "exa mple.org", "http://-bad-.org/"]:
        with pytest.raises(ValueError):
            normalise_domains([bad])
