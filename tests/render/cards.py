"""Render Adaptive Cards with Microsoft's JS renderer (npm ``adaptivecards``, installed here by
``npm ci --prefix tests/render``) in headless Chromium, and measure them.

A card is rendered into a page as wide as the window (``width``) with Teams' light host config
(``teams-light-hostconfig.json``), 16 px in from either side. The card's box is sized
explicitly, since headless Chromium keeps windows at least 500 px wide. The page
writes its measurements (card height; every text box, drop-down and date box's width; every
word split across two lines) into the DOM, which ``chromium --dump-dom`` returns;
``screenshot`` saves what a person would see.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RENDERER = HERE / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"
HOST_CONFIG = HERE / "teams-light-hostconfig.json"
LAPTOP, PHONE = 1366, 400


def chromium() -> str | None:
    return shutil.which(os.environ.get("CHROMIUM", "chromium")) or shutil.which("chromium-browser")


def available() -> str | None:
    """Why rendering can't run here, or None when it can."""
    if chromium() is None:
        return "chromium is not installed"
    if not RENDERER.exists():
        return "the renderer is not installed: npm ci --prefix tests/render"
    return None


_PAGE = r"""<!DOCTYPE html><html><head><meta charset="utf-8">
<style>body{margin:0;background:#fff;font-family:'Segoe UI',Tahoma,sans-serif}
#host{margin:0 16px;width:__HOSTWIDTH__px;box-sizing:border-box;
border:1px solid #e0e0e0;border-radius:4px}
.ac-pushButton{padding:4px 12px;min-height:32px;border:1px solid #c8c6c4;background:#fff;
border-radius:4px;font-weight:600;font-family:inherit}
.ac-input{font-family:inherit;font-size:14px;min-height:32px;box-sizing:border-box;
border:1px solid #c8c6c4;border-radius:4px;padding:4px 8px}
.ac-textInput.ac-multiline{min-height:64px}
</style>
<script>window.onerror=function(m){document.addEventListener('DOMContentLoaded',
function(){document.getElementById('out').textContent=JSON.stringify({error:String(m)})})};
</script><script>__RENDERER__</script></head><body><div id="host"></div><pre id="out"></pre>
<script>
// Teams renders the Markdown subset (bold, italics, lists); so does this page.
AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const inline = s => s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/\*(.+?)\*/g, '<em>$1</em>').replace(/`(.+?)`/g, '<code>$1</code>');
  const lines = esc.split('\n');
  let html = '', inList = false;
  for (const line of lines) {
    if (line.startsWith('- ')) {
      if (!inList) { html += '<ul style="margin:0;padding-left:20px">'; inList = true; }
      html += '<li>' + inline(line.slice(2)) + '</li>';
    } else {
      if (inList) { html += '</ul>'; inList = false; }
      html += (html ? '<br>' : '') + inline(line);
    }
  }
  if (inList) html += '</ul>';
  result.outputHtml = html; result.didProcess = true;
};
const card = new AdaptiveCards.AdaptiveCard();
card.hostConfig = new AdaptiveCards.HostConfig(__HOSTCONFIG__);
card.parse(__CARD__);
const el = card.render();
document.getElementById('host').appendChild(el);
const inputs = [...el.querySelectorAll('input, textarea, select')]
  .filter(i => i.type !== 'checkbox' && i.offsetParent !== null)
  .map(i => ({id: i.id || i.getAttribute('aria-label') || i.tagName,
              width: Math.round(i.getBoundingClientRect().width)}));
// A word is broken when its letters land on more than one line (a break at a hyphen or a
// slash is a line break between words, so those split words first).
const broken = [];
const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode, re = /[^\s\-\/\u2013\u2014]+/g;
  let m;
  while ((m = re.exec(node.textContent))) {
    const range = document.createRange();
    range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
      .map(r => Math.round(r.top)));
    if (tops.size > 1) broken.push(m[0]);
  }
}
document.getElementById('out').textContent = JSON.stringify({
  height: Math.round(el.getBoundingClientRect().height), inputs: inputs, broken: broken});
</script></body></html>"""


@dataclass(frozen=True)
class Measured:
    height: int
    inputs: list[dict[str, Any]]
    broken: list[str]  # words whose letters were split across two lines

    def narrow_inputs(self, minimum: int) -> list[dict[str, Any]]:
        return [i for i in self.inputs if i["width"] < minimum]


def _page(card: dict[str, Any], width: int) -> str:
    # The card and host config go in before the renderer, whose code may contain anything.
    card_json = json.dumps(card).replace("</", "<\\/")
    return (
        _PAGE.replace("__HOSTWIDTH__", str(width - 32))
        .replace("__HOSTCONFIG__", HOST_CONFIG.read_text(encoding="utf-8"))
        .replace("__CARD__", card_json)
        .replace("__RENDERER__", RENDERER.read_text(encoding="utf-8"))
    )


def _chromium(*args: str, width: int, height: int = 3000) -> str:
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    return done.stdout


def measure(card: dict[str, Any], width: int) -> Measured:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(_page(card, width))
    try:
        dom = _chromium("--dump-dom", f"file://{f.name}", width=width)
    finally:
        os.unlink(f.name)
    start = dom.index('<pre id="out">') + len('<pre id="out">')
    found = json.loads(dom[start : dom.index("</pre>", start)].replace("&quot;", '"'))
    if "error" in found:
        raise RuntimeError(f"the renderer failed: {found['error']}")
    return Measured(found["height"], found["inputs"], found["broken"])


def screenshot(card: dict[str, Any], width: int, path: Path, height: int) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(_page(card, width))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _chromium(f"--screenshot={path}", f"file://{f.name}", width=width, height=height + 8)
    finally:
        os.unlink(f.name)
