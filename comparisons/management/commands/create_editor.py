"""Create (or promote) an editor: a staff account in the Editors group."""

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from comparisons.editorial import editors_group_ensure


class Command(BaseCommand):
    help = "Create an editor account (staff, in the Editors group) that can sign in to /admin/."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Password (prompted for when omitted; the environment variable "
            "VERSUS_EDITOR_PASSWORD is used when set).",
        )

    def handle(self, *args, username, email, password, **options):
        password = password or os.environ.get("VERSUS_EDITOR_PASSWORD") or self.prompt()
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            created = user.pk is None
            user.email = email or user.email
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(editors_group_ensure())
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor '{username}'. Sign in at /admin/."))

    def prompt(self):
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords did not match.")
        return first
