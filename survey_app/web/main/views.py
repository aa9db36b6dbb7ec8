from flask import render_template

from survey_app.web.main import bp


@bp.get("/")
def index():
    return render_template("main/index.html")
