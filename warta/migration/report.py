"""What an import tells the person running it: the counts and warnings at the end, and a
progress bar while it reads."""

import dataclasses
import io
import json
import os
import sys
import time

from django.conf import settings
from django.utils.translation import gettext as _


def command_language(environ=None) -> str:
    """The language a command answers in: the first of ``LC_ALL``, ``LC_MESSAGES`` and
    ``LANG`` that is set (``en_US.UTF-8`` -> ``en``) when Warta has it, else the default."""
    environ = os.environ if environ is None else environ
    offered = {code for code, _name in settings.LANGUAGES}
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].replace("-", "_").split("_")[0].lower()
            return code if code in offered else settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


@dataclasses.dataclass
class ImportReport:
    """What an import did, counted per kind: ``imported["post"]``, ``skipped["comment"]``."""

    imported: dict = dataclasses.field(default_factory=dict)
    skipped: dict = dataclasses.field(default_factory=dict)
    warnings: list = dataclasses.field(default_factory=list)
    created_blog: bool = False
    notes: set = dataclasses.field(default_factory=set)

    def count(self, kind: str, *, imported: bool = True, n: int = 1) -> None:
        target = self.imported if imported else self.skipped
        target[kind] = target.get(kind, 0) + n

    def warn(self, entry_id: str, message: str, *, title: str = "") -> None:
        """A warning about the entry ``entry_id`` (its id in the file), named by ``title``
        too when it has one, in the language active when it is made."""
        if title:
            message = _("“%(title)s”: %(message)s") % {"title": title[:80], "message": message}
        self.warnings.append((entry_id, str(message)))

    def note(self, key: str, message: str) -> None:
        """A warning said once for the whole file (``key`` names it), however often it applies."""
        if key not in self.notes:
            self.notes.add(key)
            self.warnings.append(("", str(message)))

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "0"

        lines = [
            _("Imported: %(counts)s") % {"counts": fmt(self.imported)},
            _("Skipped (already there or not importable): %(counts)s")
            % {"counts": fmt(self.skipped)},
            _("Warnings: %(n)s") % {"n": len(self.warnings)},
        ]
        lines += [
            f"  [{entry_id}] {message}" if entry_id else f"  {message}"
            for entry_id, message in self.warnings
        ]
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


# What each format's importer ticks once for: Blogger every entry, then every comment again;
# WordPress every element of the channel, then every item again; a Warta file every line.
TICKS = {
    "blogger": [b"<entry", b"kind#comment", b"<blogger:type>COMMENT<"],
    "wordpress": [b"<item", b"<item", b"<wp:author>", b"<wp:category>", b"<wp:tag>", b"<wp:term>"],
}


# The channel's own elements (title, link, language...) of a WordPress file, about.
FIXED_TICKS = {"wordpress": 10}


def estimated_ticks(path, file_format: str) -> int:
    """How often the importer will tick for this file, counted in its bytes (for a ZIP
    archive, in its XML and JSON members), streaming; at least 1."""
    import zipfile

    from .xmlsafe import CHUNK, is_zip

    markers = TICKS.get(file_format, [b"\n"])

    def count(stream) -> int:
        n, tail = 0, b""
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            n += sum(window.count(marker) for marker in markers)
            n -= sum(tail.count(marker) for marker in markers)
            tail = chunk[-40:]
        return n

    try:
        if is_zip(path):
            with zipfile.ZipFile(path) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if info.filename.endswith((".atom", ".xml", ".json", ".jsonl"))
                    and "/Comments/" not in info.filename
                ]
                total = 0
                for info in members:
                    with archive.open(info) as stream:
                        total += count(stream)
        else:
            with open(path, "rb") as stream:
                total = count(stream)
    except (OSError, zipfile.BadZipFile):
        total = 0
    return max(total + FIXED_TICKS.get(file_format, 0), 1)


def write_progress(path: str, done: int, total: int) -> None:
    """The progress file the desk's status page reads, replaced whole (never half written)."""
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        json.dump({"done": done, "total": total}, stream)
    os.replace(temporary, path)


class JobProgress(Progress):
    """The progress of an import the task worker runs: ``done`` of an estimated ``total``,
    written to a small file beside the upload that the desk's status page reads (the import's
    own transaction would hide it from every other connection until the end)."""

    interval = 0.3  # seconds between writes

    def __init__(self, path: str, upload: str, file_format: str):
        super().__init__(stream=io.StringIO())
        self.path = path
        self.total = estimated_ticks(upload, file_format)
        self.write(0)

    def tick(self, label: str, position: int = 0) -> None:
        self.count += 1
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            # Never the end before the end: an estimate may fall short.
            self.write(min(self.count, self.total - 1))

    def write(self, done: int) -> None:
        write_progress(self.path, done, self.total)

    def done(self) -> None:
        """The import's work is written; its commit is near (the row says when it is)."""
        self.write(max(self.total - 1, 0))
