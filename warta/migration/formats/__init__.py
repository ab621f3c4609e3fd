"""The file formats Warta imports and exports, by the name the commands and the desk use.

Each is a module of its own (a package once it is large) holding a ``Format`` with its
importer and exporter (``base.py`` says which hooks they fill in). ``register`` gives it its
name; ``FORMATS`` is the one list of them, in the order the desk shows them. Adding a format
is a module and a line here (docs/migration.md).
"""

from .base import Format
from .blogger import Blogger
from .warta_json import WartaJson
from .wordpress import WordPress

FORMATS: dict[str, Format] = {}


def register(name: str, file_format: Format) -> None:
    """Offer ``file_format`` as ``name``: ``import NAME``, ``export NAME``, /desk/export/NAME/."""
    file_format.name = name
    FORMATS[name] = file_format


register("json", WartaJson())
register("blogger", Blogger())
register("wordpress", WordPress())
