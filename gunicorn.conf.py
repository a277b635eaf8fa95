"""gunicorn settings for `make serve` and production; each can be overridden from the
environment (GUNICORN_WORKERS, GUNICORN_THREADS, BIND, FORWARDED_ALLOW_IPS, GUNICORN_TIMEOUT)."""

import multiprocessing
import os

wsgi_app = "civic_labour.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000")
# The usual rule for sync workers: two per core plus one, so a core never waits on I/O.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx on the same host) is trusted for X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
