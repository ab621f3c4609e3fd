"""The documentation stays true: every setting the code reads is documented, and the
commands the README promises exist."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED = (ROOT / "README.md").read_text() + "".join(
    page.read_text() for page in (ROOT / "docs").glob("*.md")
)


def environment_variables_read_by_the_code():
    names = set()
    for source in (ROOT / "warta").rglob("*.py"):
        if "tests" in source.parts:
            continue
        names |= set(re.findall(r"""["'](WARTA_[A-Z0-9_]+)["']""", source.read_text()))
    return names


def test_every_environment_variable_is_documented():
    undocumented = {
        name for name in environment_variables_read_by_the_code() if name not in DOCUMENTED
    }
    assert not undocumented, f"document these in README.md or docs/: {sorted(undocumented)}"


def test_the_readme_names_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_the_warta_command_lists_the_documented_subcommands():
    result = subprocess.run(
        [sys.executable, "-m", "warta.manage", "help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    for command in re.findall(r"\.venv/bin/warta (\w+)", DOCUMENTED):
        assert command in result.stdout, f"`warta {command}` is documented but does not exist"
