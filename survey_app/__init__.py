"""The outcome-measure survey and consent platform."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from survey_app.config import PROXY_FIX_PARTS, ConfigError, load_config
from survey_app.extensions import init_extensions
from survey_app.request_logs import install_token_filter
from survey_app.security import init_security
from survey_app.static_files import init_static_files
from survey_app.web.locale import init_locale


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
    init_locale(app)
    if app.config["SURVEY_MODE"] == "production":
        _refuse_demo_accounts(app)
    init_security(app)
    init_static_files(app)
    _register_blueprints(app)
    _behind_proxies(app)
    # No log line this app or the development server writes holds a link's token.
    install_token_filter(logging.getLogger("werkzeug"), app.logger)
    return app


def _behind_proxies(app: Flask) -> None:
    """Trust X-Forwarded-* headers only as far as SURVEY_PROXY_FIX_* says (none by default), so a
    client cannot choose its own address for the per-address limits."""
    counts = {part.lower(): app.config.get(f"SURVEY_PROXY_FIX_{part}", 0) for part in PROXY_FIX_PARTS}
    if any(counts.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)


def _refuse_demo_accounts(app: Flask) -> None:
    """Demo accounts have published passwords: a production app must never start beside them."""
    from sqlalchemy import inspect, select

    from survey_app.store.staff import Staff

    engine = app.extensions["survey_engine"]
    if "staff" not in inspect(engine).get_table_names():
        return
    with app.extensions["survey_sessions"]() as session:
        if session.scalars(select(Staff.id).where(Staff.is_demo.is_(True)).limit(1)).first() is not None:
            raise ConfigError("This database holds demo accounts, whose passwords are public. Production mode "
                              "refuses to start: use a fresh database.")


def _register_blueprints(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from survey_app.web import WholeNumberConverter, init_web
    from survey_app.web.admin import bp as admin_bp
    from survey_app.web.auth import bp as auth_bp
    from survey_app.web.evaluator import bp as evaluator_bp
    from survey_app.web.main import bp as main_bp
    from survey_app.web.participant import bp as participant_bp
    from survey_app.web.practitioner import bp as practitioner_bp
    from survey_app.web.webhooks import bp as webhooks_bp

    WTFormsHelpers(app)
    app.url_map.converters["int"] = WholeNumberConverter  # before any route is added
    for blueprint in (main_bp, auth_bp, participant_bp, practitioner_bp, admin_bp, evaluator_bp, webhooks_bp):
        app.register_blueprint(blueprint)
    init_web(app)
