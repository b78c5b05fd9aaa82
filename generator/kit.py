"""A kit: everything a company may change about the outputs, as one value passed to every step.

The definition (sections, fields, lists, choices and what they mean), the brand (colours and fonts),
the wording (labels and sentences) and the folder holding the blank template and the document's
wording. Nothing here is read at import: `default_kit()` builds the built-in one when asked, and two
kits can render side by side in one process.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from . import templates_dir
from .brand import Brand
from .plan.schema import DEFAULT_DEFINITION, Definition
from .wording import Wording


@dataclass(frozen=True)
class Kit:
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
