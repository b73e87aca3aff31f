import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

from dealsite.site_url import absolute_url


class Command(BaseCommand):
    help = (
        "Create a local superuser 'admin' with a fresh random password if no superuser exists, and say how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        admin_url = absolute_url(reverse("admin:index"))
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin: {admin_url} as {existing.get_username()!r} "
                f"(forgot the password? .venv/bin/python manage.py changepassword {existing.get_username()})"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin: {admin_url} user {username!r}, password {password} "
                "(generated now, shown once; change it with manage.py changepassword)"
            )
        )
