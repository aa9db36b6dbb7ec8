"""How the platform keeps pages light: compressed responses, and static files that browsers keep.

- Pages are compressed (brotli, else gzip) by Flask-Compress, and stay `no-store` (security.py):
  nothing a participant saw is kept on the device.
- Styles, scripts and the favicon are built by `npm run build` into static/build/ under names that
  carry a hash of their content, with a brotli and a gzip copy of each. WhiteNoise serves them with
  a year's caching, marked immutable: a changed file gets a new name, so a browser never holds a
  stale one. `url_for('static', filename='js/init.js')` gives the hashed name, read from the build's
  manifest.json; a file the build did not make keeps its own name and is not cached.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask
from flask_compress import Compress
from whitenoise import WhiteNoise

from survey_app.security import STATIC_HEADERS

FOREVER = "public, max-age=31536000, immutable"
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")
# Headers that also matter on a style sheet or a script; the rest of security.py's are for pages.
KEPT_FOR_FILES = ("Referrer-Policy", "X-Content-Type-Options", "Cross-Origin-Resource-Policy")

compress = Compress()


def init_static_files(app: Flask) -> None:
    # Brotli is smallest for short HTML; gzip for browsers without it. Level 5 costs ~1 ms a page.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    build = Path(app.static_folder) / "build"
    hashed_names = _manifest(build)
    app.url_defaults(lambda endpoint, values: _hashed_name(hashed_names, endpoint, values))
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=build, prefix=f"{app.static_url_path}/build/",
                              allow_all_origins=False, add_headers_function=_file_headers)


def _manifest(build: Path) -> dict[str, str]:
    path = build / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _hashed_name(hashed_names: dict[str, str], endpoint: str, values: dict) -> None:
    if endpoint == "static" and values.get("filename") in hashed_names:
        values["filename"] = hashed_names[values["filename"]]


def _file_headers(headers, path: str, url: str) -> None:
    headers["Cache-Control"] = FOREVER if HASHED.search(url) else "no-store"
    for name in KEPT_FOR_FILES:
        headers[name] = STATIC_HEADERS[name]
