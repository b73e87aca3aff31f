"""gunicorn settings for Dealsite (read automatically from the working directory).

    gunicorn dealsite.wsgi

Workers: WEB_CONCURRENCY, default 2 × CPU cores + 1 (sync workers: requests are short and CPU-bound,
the database and Redis are near). Bind: GUNICORN_BIND, default 127.0.0.1:8000 (put a TLS proxy in front).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 1000))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Access log to stdout; Django's own logs (LOG_FORMAT=json for JSON lines) go to stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
