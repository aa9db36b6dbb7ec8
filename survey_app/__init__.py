"""The outcome-measure survey and consent platform."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from survey_app.config import load_config
from survey_app.extensions import init_extensions
from survey_app.security import init_security


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults from the environment, then the instance folder, then `config`."""
    instance_path = os.environ.get("SURVEY_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if config:
        app.config.update(config)

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(Path(app.root_path) / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    init_extensions(app)
    init_security(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from survey_app.web.main import bp as main_bp

    app.register_blueprint(main_bp)
