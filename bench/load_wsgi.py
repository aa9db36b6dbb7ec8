"""What bench/load.py serves under gunicorn: the platform, and beside it at /bench-bare a bare Flask
endpoint (no database, no session, no template), so both are measured under the same server, with
the same workers, in the same run. Settings come from the environment bench/load.py sets."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from survey_app import create_app

bare = Flask("bare")


@bare.get("/")
def hello():
    return "ok"


application = DispatcherMiddleware(create_app(), {"/bench-bare": bare})
