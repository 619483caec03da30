"""``python manage.py rotate_field_key``: encrypt every stored ID number with the newest key."""

from django.core.management.base import BaseCommand

from requests_app.services.keys import field_key_rotate


class Command(BaseCommand):
    help = (
        "Encrypt every stored ID number again with the first key of MINQING_FIELD_KEY "
        "(keep the old key listed after it until this has run)."
    )

    def handle(self, *args, **options):
        count = field_key_rotate()
        self.stdout.write(f"Encrypted again with the newest key: {count} ID numbers.")
