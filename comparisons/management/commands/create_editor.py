"""Create an editor: a staff account in the Editors group. An existing account is left alone
unless --reset-password says to set its password (and make it an editor)."""

import getpass
import os
import sys

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
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="The account exists: set its password and make it an editor. Without this "
            "an existing account is refused, so nobody's password is changed by mistake.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never prompt: without --password or VERSUS_EDITOR_PASSWORD, fail.",
        )

    def handle(self, *args, username, email, password, reset_password, interactive, **options):
        User = get_user_model()
        given = password or os.environ.get("VERSUS_EDITOR_PASSWORD")
        if given:  # checked first: a weak password stops the command before it reads anything
            try:
                password_validation.validate_password(given, User(username=username, email=email))
            except ValidationError as error:
                raise CommandError(
                    f"That password is too weak, so no account was changed: "
                    f"{' '.join(error.messages)}"
                ) from error
        elif not (interactive and sys.stdin.isatty()):
            raise CommandError(
                "No password given: pass --password, set VERSUS_EDITOR_PASSWORD, or run it "
                "in a terminal to be asked."
            )
        user = User.objects.filter(username=username).first()
        if user is not None and not reset_password:
            raise CommandError(
                f"An account named '{username}' already exists; nothing was changed. To set "
                "its password (and make it an editor), run again with --reset-password."
            )
        user = user or User(username=username, email=email)
        given = given or self.prompt(user)
        with transaction.atomic():
            created = user.pk is None
            user.email = email or user.email
            user.is_staff = True
            user.set_password(given)
            user.save()
            user.groups.add(editors_group_ensure())
        done = "Created editor" if created else "Set a new password for editor"
        self.stdout.write(self.style.SUCCESS(f"{done} '{username}'. Sign in at /admin/."))

    def prompt(self, user):
        """Ask until the password is strong enough and typed the same twice."""
        while True:
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords did not match; try again.")
                continue
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.stderr.write(f"Too weak: {' '.join(error.messages)} Try another.")
                continue
            return first
