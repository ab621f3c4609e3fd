"""Reading the subscriber lists other services export, for the desk's import.

Mailchimp's audience export (one CSV per status in its zip: ``subscribed_*.csv``,
``unsubscribed_*.csv``, ``cleaned_*.csv``) starts ``Email Address,First Name,Last Name,
MEMBER_RATING,OPTIN_TIME,...``; the unsubscribed and cleaned files add ``UNSUB_TIME`` or
``CLEAN_TIME`` and are refused. FeedBurner's e-mail subscriber export has an ``Email``
column (with the subscription date and a ``Status``). Any CSV with a column named like
those is read; every address must be valid, or nothing is imported."""

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

EMAIL_COLUMNS = ("email address", "email", "e-mail", "e-mail address", "email_address")
LEFT_COLUMNS = ("unsub_time", "clean_time")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000


class BadList(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_addresses(data: bytes) -> list[str]:
    """The addresses of an exported list, lowercased, in file order; ``BadList`` says why a
    file cannot be imported."""
    if len(data) > MAX_BYTES:
        raise BadList(_("The file is larger than 5 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadList(_("The file is not a CSV file in UTF-8.")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        header = [name.strip().lower() for name in next(rows)]
    except (StopIteration, csv.Error) as error:
        raise BadList(_("The file is empty.")) from error
    if not any(header):
        raise BadList(_("The file is empty."))
    if any(name in LEFT_COLUMNS for name in header):
        raise BadList(
            _(
                "This is a list of people who left or whose address failed. Import the list "
                "of subscribed addresses instead."
            )
        )
    column = next((header.index(name) for name in EMAIL_COLUMNS if name in header), None)
    if column is None:
        raise BadList(
            _("No e-mail column found: the first line must name one, e.g. “Email Address”.")
        )
    addresses, bad = [], []
    try:
        for line, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            address = row[column].strip().lower() if column < len(row) else ""
            try:
                validate_email(address)
            except ValidationError:
                bad.append(str(line))
                continue
            addresses.append(address)
            if len(addresses) > MAX_ROWS:
                raise BadList(_("The file has more than 50,000 addresses."))
    except csv.Error as error:
        raise BadList(_("The file is not a valid CSV file.")) from error
    if bad:
        raise BadList(
            _("Nothing was imported: lines %(lines)s hold no valid e-mail address.")
            % {"lines": ", ".join(bad[:10]) + ("…" if len(bad) > 10 else "")}
        )
    if not addresses:
        raise BadList(_("The file holds no addresses."))
    return list(dict.fromkeys(addresses))
