"""`kiemdiem demo-totp USERNAME`: the current second-factor code of a demo account (DEBUG only).

Gives the account a confirmed TOTP device if it has none, then prints its secret and the code
valid now, so the demo's deciders and administrator can sign in without a phone.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kiemdiem.accounts.twofactor import TOTP_DEVICE_NAME


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo-totp only runs with DEBUG=true (demo accounts only).")
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"secret: {b32encode(device.bin_key).decode()}")
        self.stdout.write(f"code:   {totp.token():0{device.digits}d}")
