"""``warta follow send-digests`` (cron, once a day) and ``warta follow bounces`` (DSN and
abuse reports, from a maildir or one message on standard input)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from warta.followers import bounces, digests, services


class Command(BaseCommand):
    help = "Follow by e-mail: send the digests that are due; read bounces and complaints."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "send-digests", help="Make and send the daily (and on Mondays weekly) digests."
        )
        reading = actions.add_parser(
            "bounces",
            help="Stop mail to hard-bounced or complaining addresses, from the new messages "
            "of a maildir (filed as read after) or one message on standard input.",
        )
        reading.add_argument("--maildir", type=Path)

    def handle(self, *args, action, **options):
        if action == "send-digests":
            made = digests.send_digests()
            self.stdout.write(f"{len(made)} digest(s) queued.")
            return
        found = []
        if options.get("maildir"):
            for message, done in bounces.messages_in_maildir(options["maildir"]):
                found += bounces.reports_in(message)
                done()
        else:
            found = bounces.reports_in(bounces.read_message(sys.stdin.buffer.read()))
        changed = sum(services.record_bounce(email=a, kind=k) for a, k in found)
        self.stdout.write(f"{len(found)} report(s), {changed} subscription(s) stopped.")
