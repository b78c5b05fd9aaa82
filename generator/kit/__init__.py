"""A kit: everything a company may change about the outputs, as one value passed to every step.

The definition (sections, fields, lists, choices and what they mean), the brand (colours and fonts),
the wording (labels and sentences) and the folder holding the blank template and the document's
wording. Nothing here is read at import: `default_kit()` builds the built-in one when asked, and two
kits can render side by side in one process.

A company's own kit is a folder (`load_kit`, `check_kit`): `kit.toml` (its name, version, currency,
brand, pressure-test questions, extra fields and sections, wording), and optionally a logo, `deck.pptx`
(its PowerPoint template) and `document.docx` (a Word reference document). A kit adds to the built-in
definition; it never removes or renames a built-in name, table or rule.

The package: this module (the value, the built-in kit, loading one), `folder.py` (reading and checking a
kit folder's kit.toml), `office.py` (its Office templates, read from their parts), `lines.py` (where each
key is in kit.toml, for the problems' line numbers) and `starter.py` (the kit.toml `kit init` writes).
Only a command given `--kit` imports more than this module.
"""
from __future__ import annotations

import json
from dataclasses import field, fields, replace
from pathlib import Path

from .. import templates_dir
from ..brand import Brand
from ..errors import KitError
from ..plan.schema import DEFAULT_DEFINITION, Definition
from ..records import record
from ..wording import Wording

KIT_FILE = "kit.toml"
DECK_FILE = "deck.pptx"
DOCUMENT_FILE = "document.docx"


@record
class Kit:
    """What a company may change (definition, brand, wording, templates), passed to every step as one value."""

    name: str = "accountplan"
    definition: Definition = DEFAULT_DEFINITION
    brand: Brand = field(default_factory=Brand)
    wording: Wording = field(default_factory=Wording)
    templates: Path = field(default_factory=templates_dir)
    version: str = ""                     # the kit's own version, written into every template made from it
    currency: str = "USD"                 # the default currency of new templates
    logo: Path | None = None              # an image shown on the outputs
    deck_template: Path | None = None     # the company's PowerPoint template (masters, layouts, theme)
    document_template: Path | None = None  # a Word reference document (styles, header, footer)
    folder: Path | None = None            # where the kit came from (None: the built-in one)

    @property
    def document_templates(self) -> Path:
        """The folder of the plan document's Jinja wording (`plan.j2`)."""
        return self.templates / "document"


def load_brand(path: Path) -> Brand:
    """The brand in a JSON file, over the defaults; a missing file or key keeps the default."""
    if not path.exists():
        return Brand()
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Brand)}
    return replace(Brand(), **{k: str(v) for k, v in data.items() if k in known})


def default_kit() -> Kit:
    """The built-in kit: the contract's definition, the brand in `templates/brand/default.json`."""
    folder = templates_dir()
    return Kit(brand=load_brand(folder / "brand" / "default.json"), templates=folder)


@record
class KitProblem:
    """One mistake in a kit: the file, the line of kit.toml where it is (when known), what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def load_kit(folder: str | Path) -> Kit:
    """The kit in `folder` (or the folder of a `kit.toml` given itself): the built-in definition extended by
    its fields, sections and questions, its brand over the defaults, its wording. Raises `KitError` with
    the first problem `check_kit` would list."""
    from .folder import read_kit

    given = Path(folder)
    kit, problems = read_kit(given)
    if problems or kit is None:
        first = problems[0]
        where = f"{first.file}:{first.line}" if first.line else first.file
        more = len(problems) - 1
        raise KitError(first.message, file=where,
                       hint=f"{more} more problem{'s' * (more != 1)}: see `accountplan kit check {given}`" if more else "")
    return kit


def check_kit(folder: str | Path) -> list[KitProblem]:
    """Every problem of the kit in `folder`, kit.toml's first in line order; none when it is usable."""
    from .folder import read_kit

    return read_kit(Path(folder))[1]

