"""Fill a gettext catalogue from a JSON map of msgid -> translation, for translators' batches.

    python scripts/fill_po.py warta/reader/locale/id/LC_MESSAGES/django.po id.json
    python scripts/fill_po.py warta/reader/locale/en/LC_MESSAGES/django.po --source

A plural entry takes a list (one form for Indonesian). ``--source`` fills an English catalogue
with its own msgids, so both locales are complete. Entries already translated are kept.
Exits with status 1 and names the msgids still untranslated.
"""

import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(line) for line in lines)


def quote(text):
    return json.dumps(text, ensure_ascii=False)


def fill(po_text, mapping, source):
    blocks = po_text.split("\n\n")
    missing = []
    header = blocks[0].replace("#, fuzzy\n", "")
    header = re.sub(r'"Language: \\n"', lambda m: m.group(0), header)
    out = [header]
    for block in blocks[1:]:
        lines = block.split("\n")
        if not any(line.startswith("msgid") for line in lines):
            out.append(block)
            continue
        keys = {}
        current = None
        prefix = []
        for line in lines:
            if line.startswith("#"):
                prefix.append(line)
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if match:
                current = match.group(1)
                keys[current] = [match.group(2)]
            elif line.startswith('"') and current:
                keys[current].append(line)
        if any(p.startswith("#,") and "fuzzy" in p for p in prefix):
            # makemessages' fuzzy guess is another msgid's translation: never keep it.
            keys = {k: (['""'] if k.startswith("msgstr") else v) for k, v in keys.items()}
        msgid = unquote(keys["msgid"])
        plural = unquote(keys["msgid_plural"]) if "msgid_plural" in keys else None
        prefix = [p for p in prefix if not p.startswith("#| ")]
        prefix = [p.replace(", fuzzy", "") if p.startswith("#,") else p for p in prefix]
        prefix = [p for p in prefix if p != "#"]
        body = []
        if "msgctxt" in keys:
            body.append("msgctxt " + quote(unquote(keys["msgctxt"])))
        body.append("msgid " + quote(msgid))
        if plural is not None:
            body.append("msgid_plural " + quote(plural))
            existing = [unquote(v) for k, v in sorted(keys.items()) if k.startswith("msgstr[")]
            forms = existing if all(existing) else None
            if source:
                forms = [msgid, plural][: len(existing)] if len(existing) > 1 else [plural]
            elif msgid in mapping:
                value = mapping[msgid]
                forms = value if isinstance(value, list) else [value]
            if not forms:
                missing.append(msgid)
                forms = existing
            for index, form in enumerate(forms):
                body.append(f"msgstr[{index}] " + quote(form))
        else:
            value = unquote(keys.get("msgstr", ['""']))
            if source:
                value = value or msgid
            elif msgid in mapping:
                value = mapping[msgid]
            if not value:
                missing.append(msgid)
            body.append("msgstr " + quote(value))
        out.append("\n".join(prefix + body))
    return "\n\n".join(out).rstrip("\n") + "\n", missing


def main(argv):
    path = argv[1]
    source = "--source" in argv
    mapping = {} if source else json.load(open(argv[2], encoding="utf-8"))
    with open(path, encoding="utf-8") as handle:
        text, missing = fill(handle.read(), mapping, source)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
