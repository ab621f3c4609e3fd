"""What an import tells the person running it: the counts and warnings at the end, and a
progress bar while it reads."""

import dataclasses
import sys
import time

from django.utils.translation import gettext as _


@dataclasses.dataclass
class ImportReport:
    """What an import did, counted per kind: ``imported["post"]``, ``skipped["comment"]``."""

    imported: dict = dataclasses.field(default_factory=dict)
    skipped: dict = dataclasses.field(default_factory=dict)
    warnings: list = dataclasses.field(default_factory=list)
    created_blog: bool = False

    def count(self, kind: str, *, imported: bool = True, n: int = 1) -> None:
        target = self.imported if imported else self.skipped
        target[kind] = target.get(kind, 0) + n

    def warn(self, entry_id: str, message: str) -> None:
        self.warnings.append((entry_id, str(message)))

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "0"

        lines = [
            _("Imported: %(counts)s") % {"counts": fmt(self.imported)},
            _("Skipped (already there or not importable): %(counts)s")
            % {"counts": fmt(self.skipped)},
            _("Warnings: %(n)s") % {"n": len(self.warnings)},
        ]
        lines += [f"  [{entry_id}] {message}" for entry_id, message in self.warnings]
        return "\n".join(lines)


class Progress:
    """A one-line progress bar with counts and rate, on a terminal only (stderr)."""

    def __init__(self, stream=None, *, total_bytes: int = 0):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total_bytes = total_bytes
        self.started = time.monotonic()
        self.last = 0.0
        self.count = 0

    def tick(self, label: str, position: int = 0) -> None:
        self.count += 1
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.2:
            return
        self.last = now
        rate = self.count / max(now - self.started, 1e-6)
        share = position / self.total_bytes if self.total_bytes else 0
        bar = "#" * int(share * 30)
        self.stream.write(
            f"\r[{bar:<30}] {share:4.0%} {label}: {self.count} entries, {rate:,.0f}/s "
        )
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
