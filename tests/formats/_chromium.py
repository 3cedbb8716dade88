"""Headless Chromium as a WebVTT judge: how a browser reads a set of WebVTT files, in one browser start.

:func:`read_tracks` writes one HTML page that adds every file as a ``<track>``
(a ``data:`` URL) of one ``<video>``, sets each track to ``hidden`` so that the
browser fetches and parses it, and writes what the page's ``TextTrack`` objects
hold into the DOM as JSON. ``chromium --headless --dump-dom`` prints that DOM
once every track has fired ``load`` or ``error`` (the virtual time budget lets
the fetches finish before the dump).

Each result is ``None`` when the browser rejected the file (``error`` event),
else the list of cues as dicts: ``id``, ``start``/``end`` (seconds),
``line``, ``position``, ``size``, ``align``, ``vertical``, ``snap``, ``region``
and ``html`` (the ``innerHTML`` of ``getCueAsHTML()``).
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

#: The browser binary (Debian's package name first).
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<video id="v"></video><pre id="out">pending</pre><script>
const video = document.getElementById("v");
const urls = %s;
const results = new Array(urls.length).fill(null);
let left = urls.length;
function serialise(cue) {
  const holder = document.createElement("div");
  holder.appendChild(cue.getCueAsHTML());
  return holder.innerHTML;
}
function finish() {
  left -= 1;
  if (left === 0) document.getElementById("out").textContent = JSON.stringify(results);
}
if (left === 0) document.getElementById("out").textContent = "[]";
urls.forEach((url, index) => {
  const track = document.createElement("track");
  track.kind = "subtitles";
  track.src = url;
  track.addEventListener("load", () => {
    try {
      results[index] = Array.from(track.track.cues).map((c) => ({
        id: c.id, start: c.startTime, end: c.endTime, line: c.line, position: c.position, size: c.size,
        align: c.align, vertical: c.vertical, snap: c.snapToLines, region: c.region ? c.region.id : null,
        html: serialise(c),
      }));
    } catch (e) {
      results[index] = {exception: String(e)};
    }
    finish();
  });
  track.addEventListener("error", () => { results[index] = null; finish(); });
  video.appendChild(track);
  track.track.mode = "hidden";
});
</script></body></html>
"""


def browser() -> str | None:
    """The path of a Chromium binary, or ``None`` when none is installed."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def read_tracks(files: list[bytes], *, timeout: float = 240.0) -> list[list[dict[str, Any]] | None]:
    """How Chromium reads each WebVTT file: its cues, or ``None`` when it rejects the file.

    Raises:
        RuntimeError: no browser, or the browser did not produce the result.
    """
    binary = browser()
    if binary is None:
        raise RuntimeError("no chromium binary")
    urls = ["data:text/vtt;base64," + base64.b64encode(data).decode("ascii") for data in files]
    with tempfile.TemporaryDirectory(prefix="subkit-chromium-") as folder:
        page = Path(folder) / "tracks.html"
        page.write_text(_PAGE % json.dumps(urls), encoding="utf-8")
        profile = Path(folder) / "profile"
        completed = subprocess.run(
            [
                binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--mute-audio",
                f"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", page.as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    dom = completed.stdout.decode("utf-8", "replace")
    start = dom.find('<pre id="out">')
    end = dom.find("</pre>", start)
    if start < 0 or end < 0:
        raise RuntimeError(f"chromium gave no result (exit {completed.returncode}): {completed.stderr[-500:]!r}")
    payload = html.unescape(dom[start + len('<pre id="out">') : end])
    if payload == "pending":
        raise RuntimeError("chromium did not finish loading the tracks")
    result: list[list[dict[str, Any]] | None] = json.loads(payload)
    return result
