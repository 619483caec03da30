"""``manage.py open311_key create NAME --unit ID|CODE [--fallback ID|CODE]``, ``list``,
``revoke NAME``: keys for Open311 integrations. ``create`` prints the key once; only its hash
is stored."""

from django.core.management.base import BaseCommand, CommandError

from casework.errors import DomainError
from casework.models import OrgUnit
from open311.models import Open311Key
from open311.services import open311_key_create, open311_key_revoke


def _unit(ident: str) -> OrgUnit:
    found = OrgUnit.objects.filter(code=ident).order_by("path")
    if ident.isdigit():
        found = OrgUnit.objects.filter(pk=int(ident)) | found
    units = list(found[:2])
    if len(units) != 1:
        raise CommandError(f"No single unit with id or code {ident!r}.")
    return units[0]


class Command(BaseCommand):
    help = "Issue, list and revoke Open311 API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a key; it is printed once.")
        create.add_argument("name")
        create.add_argument("--unit", required=True, help="The unit's id or code.")
        create.add_argument(
            "--fallback", help="A grid, compound or building for requests no place matches."
        )
        sub.add_parser("list", help="The keys, without their secrets.")
        revoke = sub.add_parser("revoke", help="Refuse a key from now on.")
        revoke.add_argument("name")

    def handle(self, *args, action, **options):
        if action == "create":
            fallback = _unit(options["fallback"]) if options.get("fallback") else None
            try:
                issued = open311_key_create(
                    name=options["name"], unit=_unit(options["unit"]), fallback_place=fallback
                )
            except DomainError as exc:
                raise CommandError(f"{exc.field}: {exc.message}") from exc
            self.stdout.write(issued.raw)
            self.stderr.write("Store this key now: it is not shown again.")
        elif action == "list":
            for key in Open311Key.objects.select_related("unit").order_by("name"):
                state = "active" if key.is_active else "revoked"
                used = key.last_used_at.isoformat() if key.last_used_at else "never"
                self.stdout.write(
                    f"{key.name}\t{key.prefix}…\t{key.unit.name}\t{state}\tlast used {used}"
                )
        else:
            key = Open311Key.objects.filter(name=options["name"]).first()
            if key is None:
                raise CommandError(f"No key named {options['name']!r}.")
            open311_key_revoke(key=key)
            self.stdout.write(f"Revoked {key.name}.")
