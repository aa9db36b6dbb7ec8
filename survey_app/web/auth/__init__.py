"""Signing in and out, the second factor, and setting a password from a one-time link."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from survey_app.web.auth import views  # noqa: E402,F401
