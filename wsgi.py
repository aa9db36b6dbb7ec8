"""Entry point for a WSGI server, e.g. `gunicorn wsgi:app`."""

from survey_app import create_app

app = create_app()
