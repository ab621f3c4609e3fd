"""Hard bounces and complaints, from a bounce mailbox: delivery status notifications
(RFC 3464, ``multipart/report; report-type=delivery-status``) and abuse reports (RFC 5965,
``report-type=feedback-report``). Soft bounces (4.x.x) change nothing."""

import email
import email.policy
import mailbox
from pathlib import Path


def reports_in(message) -> list[tuple[str, str]]:
    """``[(address, "bounce" | "complaint")]`` a report message tells of."""
    if message.get_content_type() != "multipart/report":
        return []
    report_type = message.get_param("report-type", "").lower()
    found = []
    for part in message.walk():
        kind = part.get_content_type()
        if report_type == "delivery-status" and kind == "message/delivery-status":
            for fields in part.get_payload():
                action = (fields.get("Action") or "").strip().lower()
                status = (fields.get("Status") or "").strip()
                recipient = fields.get("Final-Recipient") or fields.get("Original-Recipient")
                if recipient and action == "failed" and status.startswith("5"):
                    found.append((address_of(recipient), "bounce"))
        elif report_type == "feedback-report" and kind == "message/feedback-report":
            fields = part.get_payload()[0] if part.is_multipart() else None
            fields = fields or email.message_from_string(part.get_payload())
            feedback = (fields.get("Feedback-Type") or "").strip().lower()
            recipient = fields.get("Original-Rcpt-To")
            if feedback == "abuse" and recipient:
                found.append((address_of(recipient), "complaint"))
    return found


def address_of(field: str) -> str:
    """``rfc822; nama@contoh.id`` -> ``nama@contoh.id``."""
    return field.split(";", 1)[-1].strip().strip("<>").lower()


def read_message(data: bytes):
    return email.message_from_bytes(data, policy=email.policy.compat32)


def messages_in_maildir(path: Path):
    """Each message of a maildir's ``new`` folder, and a function that files it as read."""
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in list(box.iterkeys()):
        message = box.get_message(key)
        if message.get_subdir() != "new":
            continue

        def done(key=key, message=message):
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message

        yield read_message(message.as_bytes()), done
