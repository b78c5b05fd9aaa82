"""Reading a kit folder: kit.toml checked key by key into a `Kit`, every problem with its line (`read_kit`).

A problem never stops the reading: all of them are listed (`accountplan kit check`), kit.toml's in line
order, and a kit with any is not used (`load_kit` raises the first).
"""
from __future__ import annotations

import json
import keyword
import re
import string
import zipfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..brand import Brand, hex_colour, tint
from ..plan import schema
from ..plan.schema import DEFAULT_DEFINITION, Definition, Field, Column, ListSpec, Section
from ..wording import DIFF, FIGURE_LABELS, MARKS, PORTFOLIO, QUESTIONS, SENTENCES, Wording
from . import DECK_FILE, DOCUMENT_FILE, KIT_FILE, Kit, KitProblem, default_kit
from .lines import Lines, toml
from .office import OTHER_MAIN_PARTS, PRESENTATION, WORD_DOCUMENT, deck_theme, fetched_links, main_part_type, theme_brand

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
MAX_NAME = 64
MAX_SHEET = 31
MAX_TEXT = 255
MAX_LOGO_BYTES = 5 * 1024 * 1024
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def read_kit(given: Path) -> tuple[Kit | None, list[KitProblem]]:
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
    tomllib = toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        return None, [KitProblem(str(path), line, f"not valid TOML: {message[:1].lower()}{message[1:]}")]
    reader = _KitReader(folder, path, data, Lines(text))
    kit = reader.read()
    problems = sorted(reader.problems, key=lambda p: (p.file != str(path), p.line or 0))
    return (None if problems else kit), problems


class _KitReader:
    """Reads kit.toml's data into a Kit, noting every problem with its line."""

    def __init__(self, folder: Path, path: Path, data: dict, lines: Lines):
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
                colour = hex_colour(table[key])
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
            given.setdefault("pipeline", tint(given["accent"], 0.6))
            given.setdefault("prospect", tint(given["accent"], 0.85))
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
            name = self._new_name(item, "name", where, "a field", "field", names)
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
        table = self._new_name(item, "table", where, "a list", "table", names)
        shown = item["table"] if isinstance(item.get("table"), str) else "?"
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

    def _new_name(self, item: dict, key: str, where: tuple, what: str, kind: str, names: _NameSpace) -> str | None:
        """`item[key]`, the name of a field or table of the kit's own: given, an Excel name, and not taken
        (`_NameSpace.clash`); None, with the problem said, when not."""
        name = self.text(item, key, where, what, required=True, limit=MAX_NAME)
        if name is not None and not self._excel_name(name, (*where, key), f"{kind} name"):
            return None
        clash = names.clash(name, kind) if name is not None else None
        if clash:
            self.problem((*where, key), clash)
            return None
        return name

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
        found = main_part_type(path)
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
            fetched = fetched_links(path)
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

