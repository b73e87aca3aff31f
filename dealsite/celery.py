"""Celery application. Eager (in-process) unless CELERY_BROKER_URL is set; see settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")

app = Celery("dealsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
