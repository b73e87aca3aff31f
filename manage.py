#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealsite.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # load settings now: Django would hide the reason behind a later error  # noqa: B018 (reading it loads the settings)
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}\nFor local development set DEBUG=1 (./bin/dev does).")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
