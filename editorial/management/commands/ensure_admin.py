import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a local superuser 'admin' exists. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD;"
        " otherwise a new account gets a generated password, shown once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        user = User.objects.filter(username="admin").first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", email="", password=password)
            if generated:
                self.stdout.write(f"Created admin account: admin / {password} (shown only once)")
            else:
                self.stdout.write("Created admin account 'admin' with DJANGO_SUPERUSER_PASSWORD.")
        elif password:
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write("Admin account 'admin' exists; password set from the environment.")
        else:
            self.stdout.write("Admin account 'admin' exists; its password is unchanged.")
