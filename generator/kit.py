"""A kit: everything a company may change about the outputs, as one value passed to every step.

The definition (sections, fields, lists, choices and what they mean), the brand (colours and fonts),
the wording (labels and sentences) and the folder holding the blank template and the document's
wording. Nothing here is read at import: `default_kit()` builds the built-in one when asked, and two
kits can render side by side in one process.

A company's own kit is a folder (`load_kit`, `check_kit`): `kit.toml` (its name, version, currency,
brand, pressure-test questions, extra fields and sections, wording), and optionally a logo, `deck.pptx`
(its PowerPoint template) and `document.docx` (a Word reference document). A kit adds to the built-in
definition; it never removes or renames a built-in name, table or rule.
"""
from __future__ import annotations

import json
import keyword
import posixpath
import re
import string
import sys
import zipfile
from dataclasses import field, fields, replace
from pathlib import Path
from typing import Any

from . import templates_dir
from .brand import Brand
from .errors import KitError
from .ooxml import DRAWING
from .plan import schema
from .plan.schema import DEFAULT_DEFINITION, Definition, Field, Column, ListSpec, Section
from .wording import DIFF, FIGURE_LABELS, MARKS, PORTFOLIO, QUESTIONS, SENTENCES, Wording
from .records import record


def _toml():
    """tomllib (tomli before Python 3.11), imported only when a kit.toml is read: the built-in kit, which
    every plain `validate` and `build` loads, needs none of it, nor of difflib or colorsys below."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:                               # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


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


# A kit folder ------------------------------------------------------------------------------------------

KIT_FILE = "kit.toml"
DECK_FILE = "deck.pptx"
DOCUMENT_FILE = "document.docx"

# The kinds a kit's own field or column may have, as kit.toml spells them.
KINDS = (schema.TEXT, schema.LONG_TEXT, schema.MONEY, schema.DATE, schema.PERCENT, schema.SCORE, schema.CHOICE)
# Column widths (characters) of a kit's own list, by kind, unless the column gives `width`.
KIND_WIDTHS = {schema.TEXT: 20, schema.LONG_TEXT: 36, schema.MONEY: 14, schema.DATE: 13, schema.PERCENT: 12,
               schema.SCORE: 10, schema.CHOICE: 16}

TOP_KEYS = ("name", "version", "currency", "brand", "questions", "fields", "sections", "wording")
BRAND_FONTS = ("font", "heading_font", "ea_font", "cs_font")
BRAND_COLOURS = tuple(f.name for f in fields(Brand) if f.name not in ("name", *BRAND_FONTS))
BRAND_KEYS = (*BRAND_COLOURS, *BRAND_FONTS, "logo")
QUESTION_KEYS = ("text",)
FIELD_KEYS = ("name", "label", "section", "kind", "choices", "required", "help")
SECTION_KEYS = ("name", "sheet", "purpose", "lists")
LIST_KEYS = ("table", "columns", "blank_rows")
COLUMN_KEYS = ("header", "kind", "required", "choices", "width")
CATALOGUES = {"figures": FIGURE_LABELS, "questions": QUESTIONS, "sentences": SENTENCES, "marks": MARKS,
              "diff": DIFF, "portfolio": PORTFOLIO}
WORDING_KEYS = (*CATALOGUES, "labels")

# Sheets every workbook we write may have besides the sections': the template's and the checked copy's.
OTHER_SHEETS = ("Instructions", "Lists", "Summary", "Review", "_accountplan_flags")
# Attributes every list row has already (`plan.model.Row`): a column may not be called so.
ROW_ATTRS = ("excel_row", "places", "typed", "place")

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
CELL_LIKE = re.compile(r"([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*|[RrCc])\Z")   # A1, XFD1048576, R1C1, R, C
SHEET_FORBIDDEN = set(":\\/?*[]")
COLOUR = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\Z")
MAX_NAME = 64
MAX_SHEET = 31
MAX_TEXT = 255
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_PART_BYTES = 5 * 1024 * 1024   # [Content_Types].xml and _rels/.rels of deck.pptx and document.docx
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")

PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OTHER_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "a PowerPoint template (.potx)",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "a macro-enabled presentation (.pptm)",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "a PowerPoint show (.ppsx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a Word template (.dotx)",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled Word document (.docm)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "an Excel workbook",
}
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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
    given = Path(folder)
    kit, problems = _read_kit(given)
    if problems or kit is None:
        first = problems[0]
        where = f"{first.file}:{first.line}" if first.line else first.file
        more = len(problems) - 1
        raise KitError(first.message, file=where,
                       hint=f"{more} more problem{'s' * (more != 1)}: see `accountplan kit check {given}`" if more else "")
    return kit


def check_kit(folder: str | Path) -> list[KitProblem]:
    """Every problem of the kit in `folder`, kit.toml's first in line order; none when it is usable."""
    return _read_kit(Path(folder))[1]


def _read_kit(given: Path) -> tuple[Kit | None, list[KitProblem]]:
    folder = given.parent if given.name == KIT_FILE and given.is_file() else given
    if not folder.exists():
        return None, [KitProblem(str(folder), None, "no such kit folder")]
    if not folder.is_dir():
        return None, [KitProblem(str(folder), None, "a kit is a folder holding kit.toml, not a file")]
    path = folder / KIT_FILE
    if not path.is_file():
        return None, [KitProblem(str(folder), None,
                                 "has no kit.toml (`accountplan kit init DIR` writes a starter kit)")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [KitProblem(str(path), None, "is not UTF-8 text: save it as UTF-8")]
    except OSError as exc:
        return None, [KitProblem(str(path), None, f"cannot be read ({exc.strerror or type(exc).__name__})")]
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        return None, [KitProblem(str(path), line, f"not valid TOML: {message[:1].lower()}{message[1:]}")]
    reader = _KitReader(folder, path, data, _Lines(text))
    kit = reader.read()
    problems = sorted(reader.problems, key=lambda p: (p.file != str(path), p.line or 0))
    return (None if problems else kit), problems


class _KitReader:
    """Reads kit.toml's data into a Kit, noting every problem with its line."""

    def __init__(self, folder: Path, path: Path, data: dict, lines: _Lines):
        self.folder, self.path, self.data, self.lines = folder, path, data, lines
        self.base = default_kit()
        self.problems: list[KitProblem] = []

    # Noting problems ----------------------------------------------------------------------------------

    def problem(self, where: tuple, message: str) -> None:
        self.problems.append(KitProblem(str(self.path), self.lines.line(where), message))

    def file_problem(self, name: str, message: str) -> None:
        self.problems.append(KitProblem(str(self.folder / name), None, message))

    def keys(self, table: dict, known: tuple[str, ...], where: tuple, what: str) -> None:
        import difflib

        for key in table:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known)})"
                self.problem((*where, key), f"unknown key '{key}' in {what}{hint}")

    def table(self, value: Any, where: tuple, what: str) -> dict | None:
        if isinstance(value, dict):
            return value
        self.problem(where, f"{what} must be a table")
        return None

    def tables(self, value: Any, where: tuple, what: str) -> list[tuple[tuple, dict]]:
        """An array of tables, each with where it is; anything else is a problem."""
        if not isinstance(value, list):
            self.problem(where, f"{what} must be an array of tables ([[{where[-1]}]])")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append(((*where, i), item))
            else:
                self.problem((*where, i), f"each entry of {what} must be a table")
        return found

    def text(self, table: dict, key: str, where: tuple, what: str, required: bool = False,
             limit: int = MAX_TEXT, paragraphs: bool = False) -> str | None:
        if key not in table:
            if required:
                self.problem(where, f"{what} has no '{key}'" if where else f"has no '{key}' (e.g. {key} = \"...\")")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.problem((*where, key), f"'{key}' must be text in quotes, not {_toml_type(value)}")
            return None
        value = value.strip()
        if not value:
            self.problem((*where, key), f"'{key}' is empty")
            return None
        if any(ord(c) < 32 and not (paragraphs and c in "\n\t") for c in value):
            self.problem((*where, key), f"'{key}' holds a line break or a control character")
            return None
        if len(value) > limit:
            self.problem((*where, key), f"'{key}' is longer than {limit} characters")
            return None
        return value

    def flag(self, table: dict, key: str, where: tuple) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.problem((*where, key), f"'{key}' must be true or false, not {_toml_type(value)}")
            return False
        return value

    def number(self, table: dict, key: str, where: tuple, low: int, high: int) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem((*where, key), f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    # The kit -----------------------------------------------------------------------------------------

    def read(self) -> Kit:
        data, top = self.data, ()
        self.keys(data, TOP_KEYS, top, "kit.toml")
        name = self.text(data, "name", top, "kit.toml", required=True, limit=100) or ""
        version = self._version()
        currency = self._currency()
        brand, logo = self._brand(name)
        wording, labels = self._wording()
        questions = self._questions()
        definition = self._definition(questions, labels)
        deck = self._office_file(DECK_FILE, PRESENTATION, "a PowerPoint presentation")
        brand = theme_brand(brand, self._deck_theme(deck), self.data.get("brand"))
        document = self._office_file(DOCUMENT_FILE, WORD_DOCUMENT, "a Word document")
        return Kit(name=name, definition=definition, brand=brand, wording=wording, templates=self.base.templates,
                   version=version,
                   currency=currency, logo=logo, deck_template=deck, document_template=document,
                   folder=self.folder.resolve())

    def _version(self) -> str:
        value = self.data.get("version")
        if value is None:
            self.problem((), "has no 'version' (e.g. version = \"2027.1\")")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.problem(("version",), f"write the version in quotes: version = \"{value}\"")
            return ""
        return self.text(self.data, "version", (), "kit.toml", limit=40) or ""

    def _currency(self) -> str:
        value = self.text(self.data, "currency", (), "kit.toml")
        if value is None:
            return schema.DEFAULT_CURRENCY
        if value.upper() not in schema.CURRENCIES:
            self.problem(("currency",), f"'{value}' is not a currency the tool knows "
                                        f"(one of {', '.join(schema.CURRENCIES)})")
            return schema.DEFAULT_CURRENCY
        return value.upper()

    def _brand(self, name: str) -> tuple[Brand, Path | None]:
        base = self.base.brand
        if "brand" not in self.data:
            return replace(base, name=name or base.name), None
        where = ("brand",)
        table = self.table(self.data["brand"], where, "[brand]") or {}
        self.keys(table, BRAND_KEYS, where, "[brand]")
        given: dict[str, str] = {}
        for key in BRAND_COLOURS:
            if key in table:
                colour = _colour(table[key])
                if colour is None:
                    self.problem((*where, key), f"{key} = {_shown(table[key])} is not a colour: give six hex "
                                                "digits, like \"#0B5394\"")
                else:
                    given[key] = colour
        for key in BRAND_FONTS:
            font = self.text(table, key, where, "[brand]", limit=31)
            if font is not None:
                given[key] = font
        if "font" in given and "heading_font" not in given:
            given["heading_font"] = given["font"]
        # The chart's series follow the scheme: Secured in the primary colour, Forecast in the accent, Pipeline
        # and Prospect in lighter shades of the accent, unless the kit gives them.
        if "primary" in given:
            given.setdefault("secured", given["primary"])
        if "accent" in given:
            given.setdefault("forecast", given["accent"])
            given.setdefault("pipeline", _tint(given["accent"], 0.6))
            given.setdefault("prospect", _tint(given["accent"], 0.85))
        logo = self._logo(table.get("logo")) if "logo" in table else None
        return replace(base, name=name or base.name, **given), logo

    def _logo(self, value: Any) -> Path | None:
        where = ("brand", "logo")
        if not isinstance(value, str) or not value.strip():
            self.problem(where, "logo must be the image's file name in quotes, relative to the kit folder")
            return None
        relative = Path(value.strip())
        path = self.folder / relative
        if relative.is_absolute() or ".." in relative.parts:
            self.problem(where, f"logo '{value}' must be inside the kit folder (a path relative to it)")
            return None
        if not path.is_file():
            self.problem(where, f"logo '{value}' is not in the kit folder")
            return None
        try:
            size = path.stat().st_size
            with path.open("rb") as image:
                head = image.read(8)
        except OSError as exc:
            self.problem(where, f"logo '{value}' cannot be read ({exc.strerror or type(exc).__name__})")
            return None
        if not any(head.startswith(magic) for magic in IMAGE_MAGICS):
            self.problem(where, f"logo '{value}' is not an image: give a PNG, JPEG or GIF file")
            return None
        if size > MAX_LOGO_BYTES:
            self.problem(where, f"logo '{value}' is over {MAX_LOGO_BYTES // (1024 * 1024)} MB: make it smaller")
            return None
        return path.resolve()

    def _wording(self) -> tuple[Wording, dict[str, str]]:
        """The wording over the built-in catalogues, and the field labels to override."""
        base = self.base.wording
        if "wording" not in self.data:
            return base, {}
        where = ("wording",)
        table = self.table(self.data["wording"], where, "[wording]") or {}
        self.keys(table, WORDING_KEYS, where, "[wording]")
        catalogues = {name: dict(getattr(base, name)) for name in CATALOGUES}
        labels: dict[str, str] = {}
        for name in WORDING_KEYS:
            if name not in table:
                continue
            entries = self.table(table[name], (*where, name), f"[wording.{name}]") or {}
            known = tuple(schema.FIELDS) if name == "labels" else tuple(CATALOGUES[name])
            self.keys(entries, known, (*where, name), f"[wording.{name}]")
            for key in entries:
                if key not in known:
                    continue
                text = self.text(entries, key, (*where, name), f"[wording.{name}]", limit=1000, paragraphs=True)
                if text is None:
                    continue
                if name == "labels":
                    labels[key] = text
                elif self._same_blanks(text, CATALOGUES[name][key], (*where, name, key)):
                    catalogues[name][key] = text
        return Wording(**catalogues), labels

    def _same_blanks(self, text: str, original: str, where: tuple) -> bool:
        """An override may leave out the original's {blanks} but not add others."""
        try:
            used = {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
                    if name is not None}
        except ValueError:
            self.problem(where, "unbalanced { or }: write {{ and }} for a brace itself")
            return False
        allowed = {name for _, name, _, _ in string.Formatter().parse(original) if name}
        unknown = sorted(used - allowed)
        if unknown:
            offered = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
            self.problem(where, f"{{{unknown[0]}}} is not a blank of '{where[-1]}' (its blanks: {offered})")
            return False
        return True

    def _questions(self) -> tuple[str, ...] | None:
        if "questions" not in self.data:
            return None
        where = ("questions",)
        value = self.data["questions"]
        if not isinstance(value, list):
            self.problem(where, "questions must be an array of tables ([[questions]] with text = \"...\")")
            return None
        questions: list[str] = []
        for i, item in enumerate(value):
            at = (*where, i)
            if isinstance(item, str):
                item = {"text": item}
            elif not isinstance(item, dict):
                self.problem(at, "each question must be a table with text = \"...\"")
                continue
            else:
                self.keys(item, QUESTION_KEYS, at, "[[questions]]")
            text = self.text(item, "text", at, "a question", required=True, limit=500)
            if text is None:
                continue
            if text.casefold() in (q.casefold() for q in questions):
                self.problem((*at, "text"), f"the question '{text}' is asked twice")
                continue
            questions.append(text)
        return tuple(questions)

    # The definition ------------------------------------------------------------------------------------

    def _definition(self, questions: tuple[str, ...] | None, labels: dict[str, str]) -> Definition:
        builtin = DEFAULT_DEFINITION
        names = _NameSpace(builtin)
        sections = self._sections(names)                 # the kit's own, in order, without their fields yet
        given = self.data.get("sections")
        own = {s["name"].strip() for s in given if isinstance(s, dict) and isinstance(s.get("name"), str)} \
            if isinstance(given, list) else set()
        extra_fields = self._fields(names, builtin, own)
        result = []
        for section in builtin.sections:
            own = tuple(replace(f, label=labels[f.name]) if f.name in labels else f for f in section.fields)
            lists = tuple(replace(spec, prefill=tuple((q,) for q in questions))
                          if spec.table == "PressureTest" and questions is not None else spec
                          for spec in section.lists)
            result.append(replace(section, fields=own + extra_fields.get(section.name, ()), lists=lists))
        given_fields = self.data.get("fields")
        homes = {f.get("section") for f in given_fields if isinstance(f, dict)} if isinstance(given_fields, list) \
            else set()
        for section, where in sections:
            added = replace(section, fields=extra_fields.get(section.name, ()))
            item = self._item(where)
            if not item.get("lists") and section.name not in homes:       # (a list or field given but wrong is
                                                                           # said where it is)
                self.problem(where, f"the section '{section.name}' has no list and no field "
                                    f"(give it [[sections.lists]] or a field with section = \"{section.name}\")")
            result.append(added)
        return replace(builtin, sections=tuple(result))

    def _item(self, where: tuple) -> dict:
        """The table of kit.toml at `where`, e.g. ("sections", 0)."""
        value: Any = self.data
        for key in where:
            value = value[key]
        return value

    def _fields(self, names: _NameSpace, builtin: Definition, own_sections: set[str]) -> dict[str, tuple[Field, ...]]:
        by_section: dict[str, tuple[Field, ...]] = {}
        if "fields" not in self.data:
            return by_section
        section_names = [s.name for s in builtin.sections] + sorted(own_sections)
        for where, item in self.tables(self.data["fields"], ("fields",), "fields"):
            self.keys(item, FIELD_KEYS, where, "[[fields]]")
            name = self.text(item, "name", where, "a field", required=True, limit=MAX_NAME)
            if name is not None and not self._excel_name(name, (*where, "name"), "field name"):
                name = None
            clash = names.clash(name, "field") if name is not None else None
            if clash:
                self.problem((*where, "name"), clash)
                name = None
            label = self.text(item, "label", where, f"the field '{name or '?'}'", required=True)
            section = self.text(item, "section", where, f"the field '{name or '?'}'", required=True)
            if section is not None and section not in section_names:
                import difflib

                close = difflib.get_close_matches(section, section_names, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else \
                    " (a built-in section's name, or one of [[sections]])"
                self.problem((*where, "section"), f"no section is called '{section}'{hint}")
                section = None
            kind, choices = self._kind(item, where, f"the field '{name or '?'}'")
            required = self.flag(item, "required", where)
            help_text = self.text(item, "help", where, "a field", limit=500, paragraphs=True) or ""
            if None in (name, label, section, kind):
                continue
            by_section[section] = by_section.get(section, ()) + (
                Field(name, label, kind, required=required, choices=choices, help=help_text),)
        return by_section

    def _kind(self, item: dict, where: tuple, what: str) -> tuple[str | None, tuple[str, ...]]:
        """The kind (text when not given) and choices of a field or a column."""
        kind = schema.TEXT
        if "kind" in item:
            value = item["kind"]
            if not isinstance(value, str) or value not in KINDS:
                import difflib

                close = difflib.get_close_matches(str(value), KINDS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.problem((*where, "kind"), f"there is no kind {_shown(value)}{hint} "
                                               f"(kinds: {', '.join(KINDS)})")
                kind = None
            else:
                kind = value
        choices: tuple[str, ...] = ()
        if "choices" in item:
            value = item["choices"]
            if not isinstance(value, list) or not value or not all(isinstance(c, str) and c.strip() for c in value):
                self.problem((*where, "choices"), "choices must be a list of texts, e.g. [\"Yes\", \"No\"]")
                return kind, ()
            choices = tuple(c.strip() for c in value)
            seen = [c.casefold() for c in choices]
            twice = next((c for i, c in enumerate(choices) if seen.index(c.casefold()) != i), None)
            if twice:
                self.problem((*where, "choices"), f"the choice '{twice}' is given twice")
            elif any(len(c) > MAX_TEXT for c in choices):
                self.problem((*where, "choices"), f"a choice is longer than {MAX_TEXT} characters")
            if kind is not None and kind != schema.CHOICE:
                self.problem((*where, "choices"), f"{what} has choices but its kind is '{kind}': "
                                                  "set kind = \"choice\" or remove the choices")
        elif kind == schema.CHOICE:
            self.problem(where + (("kind",) if "kind" in item else ()),
                         f"{what} is a choice without choices: give choices = [\"...\", \"...\"]")
        return kind, choices

    def _sections(self, names: _NameSpace) -> list[tuple[Section, tuple]]:
        found: list[tuple[Section, tuple]] = []
        if "sections" not in self.data:
            return found
        for where, item in self.tables(self.data["sections"], ("sections",), "sections"):
            self.keys(item, SECTION_KEYS, where, "[[sections]]")
            name = self.text(item, "name", where, "a section", required=True, limit=60)
            clash = names.clash(name, "section") if name is not None else None
            if clash:
                self.problem((*where, "name"), clash)
                name = None
            sheet = self.text(item, "sheet", where, f"the section '{name or '?'}'", limit=MAX_SHEET + 100)
            if sheet is None and "sheet" not in item and name is not None:
                sheet = name
                where_sheet = (*where, "name")
            else:
                where_sheet = (*where, "sheet")
            if sheet is not None and not self._sheet_name(sheet, where_sheet, names):
                sheet = None
            purpose = self.text(item, "purpose", where, "a section", limit=500, paragraphs=True) or ""
            lists = tuple(spec for spec in (self._list(w, t, names) for w, t in
                                            self.tables(item.get("lists", []), (*where, "lists"), "lists"))
                          if spec is not None)
            if name is None or sheet is None:
                continue
            found.append((Section(name, sheet, purpose, lists=lists), where))
        return found

    def _list(self, where: tuple, item: dict, names: _NameSpace) -> ListSpec | None:
        self.keys(item, LIST_KEYS, where, "[[sections.lists]]")
        table = self.text(item, "table", where, "a list", required=True, limit=MAX_NAME)
        shown = item["table"] if isinstance(item.get("table"), str) else "?"
        if table is not None and not self._excel_name(table, (*where, "table"), "table name"):
            table = None
        clash = names.clash(table, "table") if table is not None else None
        if clash:
            self.problem((*where, "table"), clash)
            table = None
        blank_rows = self.number(item, "blank_rows", where, 1, 200) or 5
        if "columns" not in item:
            self.problem(where, f"the table '{shown}' has no columns")
            return None
        columns = []
        headers: set[str] = set()
        attrs: set[str] = set()
        entries = self.tables(item["columns"], (*where, "columns"), "columns")
        if not entries and isinstance(item["columns"], list):
            self.problem((*where, "columns"), f"the table '{shown}' has no columns")
        for i, (at, col) in enumerate(entries):
            self.keys(col, COLUMN_KEYS, at, "a column")
            header = self.text(col, "header", at, "a column", required=True)
            if header is not None:
                attr = schema._attr(header)
                if header.casefold() in headers:
                    self.problem((*at, "header"), f"the header '{header}' is used twice in the table")
                    header = None
                elif not attr.isidentifier() or keyword.iskeyword(attr) or attr in ROW_ATTRS:
                    self.problem((*at, "header"), f"the header '{header}' cannot be a column: use letters, "
                                                  "digits and spaces, starting with a letter"
                                 + (f" ('{attr}' is taken by every row)" if attr in ROW_ATTRS else ""))
                    header = None
                elif attr in attrs:
                    self.problem((*at, "header"), f"the header '{header}' is too like another of the table's")
                    header = None
                else:
                    headers.add(header.casefold())
                    attrs.add(attr)
            kind, choices = self._kind(col, at, f"the column '{header or '?'}'")
            required = self.flag(col, "required", at)
            if i == 0 and not required:
                self.problem(at, f"the first column of '{shown}' must be required (required = true): "
                                 "a row counts when its first cell is filled in")
            width = self.number(col, "width", at, 4, 100)
            if header is None or kind is None:
                continue
            if width is None:
                longest = max((len(c) for c in choices), default=0)
                width = max(KIND_WIDTHS[kind], min(longest + 2, 40), min(len(header) + 2, 40))
            columns.append(Column(header, schema._attr(header), kind, required=required, choices=choices,
                                  width=width))
        if table is None or len(columns) != len(entries) or not columns:
            return None
        return ListSpec(table, _row_type(table), _snake(table), tuple(columns), blank_rows=blank_rows)

    def _excel_name(self, name: str, where: tuple, what: str) -> bool:
        if not NAME.match(name):
            self.problem(where, f"'{name}' cannot be a {what}: use letters, digits and underscores, "
                                "starting with a letter (no spaces)")
            return False
        if CELL_LIKE.match(name):
            self.problem(where, f"'{name}' cannot be a {what}: Excel reads it as a cell reference")
            return False
        return True

    def _sheet_name(self, sheet: str, where: tuple, names: _NameSpace) -> bool:
        bad = sorted(SHEET_FORBIDDEN.intersection(sheet))
        if bad or sheet.startswith("'") or sheet.endswith("'") or len(sheet) > MAX_SHEET \
                or sheet.casefold() == "history":
            self.problem(where, f"'{sheet}' cannot be a sheet name: at most {MAX_SHEET} characters, none of "
                                ": \\ / ? * [ ], not starting or ending with ', and not 'History'")
            return False
        clash = names.clash(sheet, "sheet")
        if clash:
            self.problem(where, clash)
            return False
        return True

    def _office_file(self, name: str, main_type: str, what: str) -> Path | None:
        """deck.pptx or document.docx in the kit folder, when there: a zip whose main part is `main_type`."""
        path = self.folder / name
        if not path.exists():
            return None
        if not path.is_file():
            self.file_problem(name, f"is not a file: it should be {what}")
            return None
        found = _main_part_type(path)
        if found != main_type:
            what_it_is = OTHER_MAIN_PARTS.get(found or "", "")
            app, suffix = ("PowerPoint", "pptx") if name == DECK_FILE else ("Word", "docx")
            self.file_problem(name, f"is not {what}" + (f" but {what_it_is}" if what_it_is else "")
                              + f": save it from {app} as {app} {'Presentation' if app == 'PowerPoint' else 'Document'}"
                                f" (.{suffix})")
            return None
        from xml.etree.ElementTree import ParseError

        from defusedxml import DefusedXmlException

        try:
            fetched = _fetched_links(path)
        except (OSError, ValueError, zipfile.BadZipFile, ParseError, DefusedXmlException) as exc:
            self.file_problem(name, f"cannot be read to check its links ({exc}): save it again from Office")
            return None
        if fetched:
            kind, target = fetched[0]
            self.file_problem(name, f"links to a file outside it ({kind}: {target}) that Office would fetch on "
                                    f"opening every output made from it; remove the link"
                                    + (f" (and {len(fetched) - 1} more)" if len(fetched) > 1 else ""))
            return None
        return path.resolve()


    def _deck_theme(self, deck: Path | None) -> dict[str, str]:
        """deck.pptx's theme colours and fonts as brand keys (`deck_theme`); a problem when it cannot be
        opened or is not landscape (the review deck is 16:9)."""
        if deck is None:
            return {}
        try:
            theme, (width, height) = deck_theme(deck)
        except Exception as exc:     # a damaged package fails in many ways: a part missing, unreadable, empty
            self.file_problem(DECK_FILE, f"cannot be opened as a presentation ({type(exc).__name__}): save it "
                                         "again from PowerPoint")
            return {}
        if width < height:
            self.file_problem(DECK_FILE, f"has portrait slides ({width / 914400:.2f} x {height / 914400:.2f} in): "
                                         "the review deck is landscape 16:9; give a landscape template")
        return theme


def deck_theme(path: Path) -> tuple[dict[str, str], tuple[int, int]]:
    """A deck.pptx's first theme as brand keys (accent1 → primary, accent2 → accent, its major and minor
    Latin fonts → heading_font and font), and its slide size in EMU. Read from the package's parts (the
    presentation, its first master, that master's theme) as PowerPoint finds them, without python-pptx: a
    kit is loaded by commands that draw no deck."""
    with zipfile.ZipFile(path) as package:
        def part(name: str):
            return _xml_part(package, package.getinfo(name))

        def related(name: str, rel_id: str | None = None, kind: str | None = None) -> str:
            """The part `name` points at by relationship id, or by type: its name in the package."""
            folder, file = posixpath.split(name)
            rels = part(posixpath.join(folder, "_rels", f"{file}.rels"))
            target = next(r.get("Target", "") for r in rels.iter(f"{RELS_NS}Relationship")
                          if r.get("Id") == rel_id or (kind and r.get("Type", "").endswith(f"/{kind}")))
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))

        presentation = part("ppt/presentation.xml")
        size = presentation.find(f"{PRESENTATION_NS}sldSz")
        first = presentation.find(f"{PRESENTATION_NS}sldMasterIdLst/{PRESENTATION_NS}sldMasterId")
        master = related("ppt/presentation.xml", rel_id=first.get(f"{OFFICE_RELS_NS}id"))
        root = part(related(master, kind="theme"))
    found: dict[str, str] = {}
    found: dict[str, str] = {}
    for key, tag in (("primary", "accent1"), ("accent", "accent2")):
        colour = root.find(f".//{DRAWING}clrScheme/{DRAWING}{tag}/*")
        value = None if colour is None else colour.get("val") if colour.tag == f"{DRAWING}srgbClr" \
            else colour.get("lastClr")
        if _colour(value):
            found[key] = _colour(value)
    for key, tag in (("heading_font", "majorFont"), ("font", "minorFont")):
        latin = root.find(f".//{DRAWING}fontScheme/{DRAWING}{tag}/{DRAWING}latin")
        typeface = "" if latin is None else (latin.get("typeface") or "").strip()
        if typeface and len(typeface) <= 31:
            found[key] = typeface
    return found, (int(size.get("cx")), int(size.get("cy")))


def theme_brand(brand: Brand, theme: dict[str, str], table: Any) -> Brand:
    """`brand` with deck.pptx's theme colours and fonts where kit.toml's [brand] `table` gives none (kit.toml
    wins), the chart's series following a theme colour as they follow a given one (`_brand`)."""
    table = table if isinstance(table, dict) else {}
    given = {key: value for key, value in theme.items()
             if key not in table and not (key == "heading_font" and "font" in table)}
    if "primary" in given and "secured" not in table:
        given["secured"] = given["primary"]
    if "accent" in given:
        for key, amount in (("forecast", 0.0), ("pipeline", 0.6), ("prospect", 0.85)):
            if key not in table:
                given[key] = _tint(given["accent"], amount) if amount else given["accent"]
    return replace(brand, **given)


PRESENTATION_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
OFFICE_RELS_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class _NameSpace:
    """The names a kit may not reuse: built-in and its own, compared as Excel does (case-insensitively).

    Defined names and table names share one namespace in a workbook; sections and sheets have their own.
    """

    def __init__(self, builtin: Definition):
        self.taken: dict[tuple[str, str], tuple[str, str]] = {}    # (space, casefolded) -> (name, what it is)
        for section in builtin.sections:
            self.taken[("section", section.name.casefold())] = (section.name, "a built-in section")
            self.taken[("sheet", section.sheet.casefold())] = (section.sheet,
                                                               f"the sheet of the built-in section '{section.name}'")
            for f in section.fields:
                self.taken[("name", f.name.casefold())] = (f.name, "a built-in field")
            for spec in section.lists:
                self.taken[("name", spec.table.casefold())] = (spec.table, "a built-in table")
        for name in getattr(schema, "RESERVED_NAMES", (schema.TEMPLATE_VERSION_NAME,)):
            self.taken[("name", name.casefold())] = (name, "a built-in name of the template")
        for sheet in OTHER_SHEETS:
            self.taken[("sheet", sheet.casefold())] = (sheet, "a built-in sheet of the workbooks")
        self.builtin = set(self.taken)

    def clash(self, name: str, kind: str) -> str | None:
        """Why `name` (a field, table, section or sheet) may not be used; None when it is free (then it is
        taken)."""
        space = "name" if kind in ("field", "table") else kind
        key = (space, name.casefold())
        if key not in self.taken:
            self.taken[key] = (name, f"a {kind} of the kit")
            return None
        taken, what = self.taken[key]
        said = f"'{name}' is {what}" if taken == name else \
            f"'{name}' is '{taken}', {what}, in other capitals (Excel does not tell them apart)"
        if key in self.builtin:
            return f"{said}: a kit adds {kind}s of its own, it cannot reuse, replace or remove the built-in ones"
        return f"{said} already: each name once"


def _main_part_type(path: Path) -> str | None:
    """The content type of an Office file's main part, or None when it is not an Office file at all."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    try:
        with zipfile.ZipFile(path) as package:
            rels = _xml_part(package, package.getinfo("_rels/.rels"))
            types = _xml_part(package, package.getinfo("[Content_Types].xml"))
    except (OSError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
            ParseError, DefusedXmlException):
        return None
    target = next((r.get("Target", "") for r in rels.iter(f"{RELS_NS}Relationship")
                   if r.get("Type") == OFFICE_DOCUMENT), None)
    if target is None:
        return None
    name = "/" + target.lstrip("/")
    for override in types.iter(f"{CT_NS}Override"):
        if override.get("PartName", "").casefold() == name.casefold():
            return override.get("ContentType")
    extension = name.rsplit(".", 1)[-1].casefold()
    for default in types.iter(f"{CT_NS}Default"):
        if default.get("Extension", "").casefold() == extension:
            return default.get("ContentType")
    return None


def _xml_part(package: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A part of an Office file parsed safely (defusedxml), refused (ValueError) past `MAX_PART_BYTES`."""
    from defusedxml.ElementTree import fromstring

    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{info.filename} is too large")
    return fromstring(package.read(info))


def _fetched_links(path: Path) -> list[tuple[str, str]]:
    """The relationships of an Office file that point outside it and that Office follows by itself (a remote
    template, a linked picture or object, a frame): (kind, target) each. A hyperlink is followed only when the
    reader clicks it, so it stays."""
    found = []
    with zipfile.ZipFile(path) as package:
        for info in package.infolist():
            if not info.filename.endswith(".rels"):
                continue
            for rel in _xml_part(package, info).iter(f"{RELS_NS}Relationship"):
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                if rel.get("TargetMode") == "External" and kind != "hyperlink":
                    found.append((kind, rel.get("Target", "")))
    return sorted(found)


def _colour(value: Any) -> str | None:
    """A hex colour with or without '#', as RRGGBB upper case (#abc is #AABBCC); None if it is not one."""
    if not isinstance(value, str):
        return None
    found = COLOUR.match(value.strip())
    if not found:
        return None
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits.upper()


def _tint(colour: str, amount: float) -> str:
    """`colour` lightened towards white by `amount` (0..1) of the way, as Office's "lighter" shades are."""
    import colorsys

    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(h, light + (1 - light) * amount, s)
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))


def _row_type(table: str) -> str:
    """The row class's name of a kit's own table: its singular (Partners -> Partner), else TableItem."""
    if table.endswith("ies") and len(table) > 3:
        return table[:-3] + "y"
    if table.endswith("s") and not table.endswith("ss") and len(table) > 1:
        return table[:-1]
    return f"{table}Item"


def _snake(table: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", table).lower()


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date" if hasattr(value, "isoformat") else type(value).__name__


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, str) else str(value)


# Where things are in kit.toml ---------------------------------------------------------------------------

class _Lines:
    """The line of every table, key and array item of a TOML text, by its path: ("fields", 0, "kind").

    A small scanner over text tomllib has already accepted, so it need not check anything.
    """

    def __init__(self, text: str):
        self.text = text
        self.where: dict[tuple, int] = {}
        self.arrays: dict[tuple, int] = {}
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        try:
            self._scan()
        except (ValueError, IndexError, _toml().TOMLDecodeError):   # something it does not follow: the lines
            pass                                                    # found so far, the rest by their table

    def line(self, path: tuple) -> int | None:
        """The line of `path`, else of the nearest thing holding it."""
        path = tuple(path)
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return None

    def _line_of(self, pos: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, pos)

    def _note(self, path: tuple, pos: int) -> None:
        self.where.setdefault(path, self._line_of(pos))

    def _scan(self) -> None:
        text, pos, table = self.text, 0, ()
        while pos < len(text):
            pos = self._skip_blank(pos, newlines=True)
            if pos >= len(text):
                break
            if text.startswith("[[", pos):
                keys, pos = self._keys(pos + 2)
                pos = text.index("]]", pos) + 2
                array = self._resolve(keys[:-1]) + (keys[-1],)
                index = self.arrays.get(array, 0)
                self.arrays[array] = index + 1
                self._note(array, pos)
                table = (*array, index)
                self._note(table, pos)
            elif text[pos] == "[":
                keys, pos = self._keys(pos + 1)
                pos = text.index("]", pos) + 1
                table = self._resolve(keys)
                self._note(table, pos)
            else:
                start = pos
                keys, pos = self._keys(pos)
                pos = text.index("=", pos) + 1
                for i in range(1, len(keys) + 1):
                    self._note((*table, *keys[:i]), start)
                pos = self._value(pos, (*table, *keys))
            pos = self._skip_to_line_end(pos)

    def _resolve(self, keys: tuple) -> tuple:
        """A table header's keys as a path: through the last item of each array of tables on the way."""
        path: tuple = ()
        for key in keys:
            path = (*path, key)
            if path in self.arrays:
                path = (*path, self.arrays[path] - 1)
        return path

    def _skip_blank(self, pos: int, newlines: bool) -> int:
        text = self.text
        while pos < len(text):
            c = text[pos]
            if c in " \t" or (newlines and c in "\r\n"):
                pos += 1
            elif c == "#":
                while pos < len(text) and text[pos] != "\n":
                    pos += 1
            else:
                break
        return pos

    def _skip_to_line_end(self, pos: int) -> int:
        pos = self._skip_blank(pos, newlines=False)
        return pos + 1 if pos < len(self.text) and self.text[pos] == "\n" else pos

    def _keys(self, pos: int) -> tuple[tuple, int]:
        """A dotted key from `pos`: its parts, and where it ends."""
        text, keys = self.text, []
        while True:
            pos = self._skip_blank(pos, newlines=False)
            if text[pos] in "\"'":
                end = self._string_end(pos)
                keys.append(_toml().loads(f"k = {text[pos:end]}")["k"])
                pos = end
            else:
                start = pos
                while pos < len(text) and (text[pos].isalnum() or text[pos] in "_-"):
                    pos += 1
                keys.append(text[start:pos])
            pos = self._skip_blank(pos, newlines=False)
            if pos < len(text) and text[pos] == ".":
                pos += 1
                continue
            return tuple(keys), pos

    def _string_end(self, pos: int) -> int:
        text = self.text
        quote = text[pos]
        if text.startswith(quote * 3, pos):
            end = text.index(quote * 3, pos + 3)
            while text.startswith(quote, end + 3):      # up to two quotes may end a multi-line string
                end += 1
            return end + 3
        pos += 1
        while text[pos] != quote:
            pos += 2 if quote == '"' and text[pos] == "\\" else 1
        return pos + 1

    def _value(self, pos: int, path: tuple) -> int:
        text = self.text
        pos = self._skip_blank(pos, newlines=False)
        c = text[pos]
        if c in "\"'":
            return self._string_end(pos)
        if c == "[":
            pos, index = pos + 1, 0
            while True:
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == "]":
                    return pos + 1
                self._note((*path, index), pos)
                pos = self._value(pos, (*path, index))
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == ",":
                    pos += 1
                index += 1
        if c == "{":
            pos += 1
            while True:
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == "}":
                    return pos + 1
                start = pos
                keys, pos = self._keys(pos)
                for i in range(1, len(keys) + 1):
                    self._note((*path, *keys[:i]), start)
                pos = text.index("=", pos) + 1
                pos = self._value(pos, (*path, *keys))
                pos = self._skip_blank(pos, newlines=True)
                if text[pos] == ",":
                    pos += 1
        while pos < len(text) and text[pos] not in ",]}\n#":
            pos += 1
        return pos


# A starter kit -----------------------------------------------------------------------------------------

def starter_kit(name: str) -> str:
    """The kit.toml `accountplan kit init` writes: the built-in questions and brand, ready to change, and every
    other key as a commented example."""
    kit = default_kit()
    brand = kit.brand
    questions = next(spec for spec in kit.definition.lists.values() if spec.table == "PressureTest").prefill

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    def line(code: str, comment: str) -> str:
        return f"{code:<31} # {comment}"

    lines = [
        f"# The kit of {name}: what the company changes about its account plans, without code.",
        "# Check it:  accountplan kit check DIR        Use it:  --kit DIR, or ACCOUNTPLAN_KIT=DIR",
        "# Every key is described in the README (\"Kits\"). Lines starting with # are examples: remove the # to use one.",
        "",
        line(f"name = {quoted(name)}", "shown on the outputs and in the template's Instructions"),
        line('version = "1.0"', "written into every template made from this kit: raise it when you change it"),
        line(f'currency = "{kit.currency}"', "the default currency of new templates"),
        "",
        line("[brand]", 'colours as hex, like "#0B5394"; fonts by name'),
        line(f'primary = "#{brand.primary}"', "titles, table headers, the chart's main series"),
        line(f'accent = "#{brand.accent}"', "highlights, links, the chart's other series"),
        line(f'font = "{brand.font}"', "body text, and headings unless heading_font is given"),
        f'# heading_font = "{brand.heading_font}"',
        line('# logo = "logo.png"', "a PNG, JPEG or GIF in this folder"),
        "# Other colours: " + ", ".join(c for c in BRAND_COLOURS if c not in ("primary", "accent")),
        "",
        "# The pressure-test questions, in order (the built-in ones: change, add or remove them).",
    ]
    for (question,) in questions:
        lines += ["[[questions]]", f"text = {quoted(question)}", ""]
    lines += [
        "# A field of your own, on the sheet of its section:",
        "# [[fields]]",
        line('# name = "territory"', "its defined name in the template: letters, digits, underscores"),
        '# label = "Territory"',
        line('# section = "Account"', "a built-in section, or one of the [[sections]] below"),
        line('# kind = "choice"', "text, long_text, money, date, percent, score or choice"),
        '# choices = ["North", "South", "West"]',
        "# required = true",
        '# help = "The sales territory the account belongs to"',
        "",
        "# A section of your own, on its own sheet after the built-in ones:",
        "# [[sections]]",
        '# name = "Partner plan"',
        '# sheet = "Partners"',
        '# purpose = "Which partners help us win, and what each brings."',
        "#",
        "# [[sections.lists]]",
        line('# table = "Partners"', "the Excel table's name: letters, digits, underscores"),
        '# columns = [ { header = "Partner", kind = "text", required = true },',
        '#             { header = "Role", kind = "choice", choices = ["Reseller", "Integrator", "Referral"] },',
        '#             { header = "Value influenced", kind = "money" } ]',
        "",
        "# Other words for built-in labels and sentences:",
        "# [wording.labels]",
        '# account_owner = "Client partner"',
        "# [wording.figures]",
        '# secured = "Booked"',
        "",
        "# The company's own Office templates, when there: put them in this folder under these names.",
        f"#   {DECK_FILE}      its masters, layouts (picked by name), theme colours and fonts for the decks",
        f"#   {DOCUMENT_FILE}  its styles, page, header, footer and theme for the plan document",
        "",
    ]
    return "\n".join(lines)
