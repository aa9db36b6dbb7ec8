"""gunicorn's configuration for this app: `gunicorn -c gunicorn.conf.py` from the repository root.

Every setting can be changed from the environment (see README, "Running in production"). The access
log never holds a link's token: `survey_app.request_logs.GunicornLogger` replaces it by a short hash,
and the format leaves out the user agent.
"""

import os

wsgi_app = "wsgi:app"

# Behind a reverse proxy on the same machine; the proxy terminates TLS and passes the client's address
# (X-Forwarded-For), which the app reads only when SURVEY_PROXY_FIX_X_FOR is set.
bind = os.environ.get("SURVEY_BIND", "127.0.0.1:8000")
# Sync workers, one request each: 2 per core is a good start (the questionnaire pages are small and quick).
workers = int(os.environ.get("SURVEY_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("SURVEY_THREADS", "1"))
# A request that takes longer than this is a stuck worker: it is killed and replaced.
timeout = int(os.environ.get("SURVEY_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("SURVEY_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("SURVEY_KEEPALIVE", "5"))
# The app is built once, in this process, before the workers are forked (building it reads every
# instrument, translation and consent document: about 3 s of CPU). So a worker replaced after
# max_requests, a crash or a kill serves at once, and every worker has the same settings and keys.
# Each worker drops the database connections it inherited (survey_app/store/db.py).
preload_app = os.environ.get("SURVEY_PRELOAD_APP", "1") != "0"
# Workers are replaced now and then, so a slow leak never grows.
max_requests = int(os.environ.get("SURVEY_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("SURVEY_MAX_REQUESTS_JITTER", "200"))
# Each worker builds the app (and its own database connections); a configuration that is refused
# (ConfigError) stops every worker booting, and gunicorn exits with an error.

# "-" is standard output (for systemd's journal); a path writes a file there.
accesslog = os.environ.get("SURVEY_ACCESS_LOG", "-")
errorlog = os.environ.get("SURVEY_ERROR_LOG", "-")
loglevel = os.environ.get("SURVEY_LOG_LEVEL", "info")
# Client address, time, request line (token hashed), status, size, duration in ms; no referrer or user agent.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "survey_app.request_logs.GunicornLogger"

# gunicorn's control socket (gunicornc) is off unless asked for: its default path is shared by every
# gunicorn this user runs.
control_socket_disable = os.environ.get("SURVEY_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["SURVEY_CONTROL_SOCKET"]
