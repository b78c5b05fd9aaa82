"""Reading a planning workbook into the plan model, as tolerantly as the contract allows.

Fields are found by defined name and lists by table name, wherever the rep moved them. Every value
keeps the sheet and cell it came from. What cannot be used becomes None plus a finding; only a
file that cannot be used at all raises (an `UnusableFileError`).
"""
from __future__ import annotations

import os
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from . import findings, schema
from .clean import clean_text
from .coerce import coerce, match_key
from .errors import NotAWorkbookError, NotAnAccountPlanError, TemplateTooNewError
from .model import ROW_CLASSES, Place, Plan, TablePlace
from .sniff import sniff

ROWS_PAST_TABLE = 2000   # how far below a table's end rows typed past it are looked for
RESAVE = "open it in Excel and save it again as Excel Workbook (.xlsx)"


def read_plan(path: str | os.PathLike) -> Plan:
    """The plan in the workbook at `path`; the file is only read, never written."""
    path = Path(path)
    sniff(path)
    book = _load(path, data_only=False)
    reader = _Reader(path, book)
    return reader.read()


def _load(path: Path, data_only: bool):
    import openpyxl

    try:
        with warnings.catch_warnings():   # openpyxl warns of parts it drops (Excel's extensions): not the rep's concern
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=data_only, rich_text=False)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise NotAWorkbookError(f"cannot be read as an Excel workbook ({_reason(exc)})", hint=RESAVE, code="damaged",
                                file=str(path)) from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts; all mean "not usable"
        raise NotAWorkbookError(f"the workbook is damaged ({_reason(exc)})", hint=RESAVE, code="damaged",
                                file=str(path)) from exc


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]


class _Reader:
    """One pass over one workbook; holds the lazily loaded saved values of formula cells."""

    def __init__(self, path: Path, book: Any):
        self.path = path
        self.book = book
        self._saved_values = None
        self.found: list[findings.Finding] = []
        self.currency = schema.DEFAULT_CURRENCY   # the plan's, once its currency field is read
        self.names = self._defined_names()
        self.tables = self._tables()

    def read(self) -> Plan:
        if not (set(self.names) | set(self.tables)) & {n.lower() for n in schema.CONTRACT_NAMES}:
            raise NotAnAccountPlanError(
                "this is not an account plan: it has none of the template's named cells or tables",
                hint="start from `accountplan new-template`", file=str(self.path))
        plan = Plan(file=str(self.path), template_version=self._template_version(), workbook=self.book)
        for section in schema.SECTIONS:
            for item in section.fields:
                self._read_field(plan, section, item)
            for spec in section.lists:
                self._read_list(plan, section, spec)
        plan.read_findings = self.found
        return plan

    # Where things are ---------------------------------------------------------------------

    def _defined_names(self) -> dict[str, list[tuple[str, str]]]:
        """Lower-cased name -> [(sheet, cell)]; workbook scope first, then sheet scope."""
        found: dict[str, list[tuple[str, str]]] = {}
        scopes = [self.book.defined_names] + [ws.defined_names for ws in self.book.worksheets]
        for scope in scopes:
            for name, defined in scope.items():
                try:
                    destinations = [(sheet, cell.replace("$", "")) for sheet, cell in defined.destinations]
                except Exception:
                    destinations = []
                found.setdefault(name.lower(), destinations)
        return found

    def _tables(self) -> dict[str, tuple[Any, Any]]:
        found = {}
        for ws in self.book.worksheets:
            for table in ws.tables.values():
                found.setdefault(table.displayName.lower(), (ws, table))
        return found

    def _template_version(self) -> str | None:
        where = self._single_cell(schema.TEMPLATE_VERSION_NAME)
        if where is None:
            return None
        value = self._value(*where)
        if value is None:
            return None
        version = str(value).strip()
        if _version_tuple(version) > _version_tuple(schema.TEMPLATE_VERSION):
            raise TemplateTooNewError(
                f"the template is version {version}, newer than this tool knows ({schema.TEMPLATE_VERSION})",
                hint="upgrade accountplan", file=str(self.path), sheet=where[0].title, cell=where[1])
        return version

    def _single_cell(self, name: str):
        destinations = self.names.get(name.lower())
        if not destinations:
            return None
        sheet, cell = destinations[0]
        if sheet not in self.book.sheetnames or ":" in cell or not re.fullmatch(r"[A-Z]{1,3}\d+", cell):
            return None
        return self.book[sheet], cell

    # Values -------------------------------------------------------------------------------

    def _value(self, ws, coordinate: str) -> Any:
        """The cell's value; for a formula, the value Excel saved with it (None if none was)."""
        cell = ws[coordinate]
        value = cell.value
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
            saved = self._saved(ws.title, coordinate)
            if saved is None:
                raise _FormulaWithoutValue(str(value))
            return saved
        if hasattr(value, "text") and not isinstance(value, str):   # array formulas and the like
            raise _FormulaWithoutValue(str(getattr(value, "text", "")))
        return value

    def _saved(self, sheet: str, coordinate: str) -> Any:
        if self._saved_values is None:
            self._saved_values = _load(self.path, data_only=True)
        return self._saved_values[sheet][coordinate].value

    def _typed(self, kind: str, ws, coordinate: str, label: str, choices: tuple, section: str) -> Any:
        """Read, clean and coerce one cell, recording any finding at its place."""
        place = Place(ws.title, coordinate)
        try:
            raw = self._value(ws, coordinate)
        except _FormulaWithoutValue as formula:
            self.found.append(findings.make(
                "formula-no-value", section, place, f"{label} is a formula ({formula}) saved without its value.",
                "Open the file in Excel, let it calculate, and save it again."))
            return None
        if isinstance(raw, str):
            raw, changes = clean_text(_unescape(raw))
            if changes:
                self.found.append(findings.make("text-cleaned", section, place,
                                                f"{label}: {', '.join(changes)}.", "Check the text in this cell."))
        result = coerce(kind, raw, label, choices, number_format=ws[coordinate].number_format or "",
                        currency=self.currency)
        if result.code:
            self.found.append(findings.make(result.code, section, place, result.message, result.hint))
        return result.value

    # Fields and lists ---------------------------------------------------------------------

    def _read_field(self, plan: Plan, section: schema.Section, item: schema.Field) -> None:
        where = self._single_cell(item.name)
        if where is None:
            if item.name.lower() in self.names:
                self.found.append(findings.make("name-broken", section.name, None,
                                                f"The name {item.name} does not point at a single cell.",
                                                "Point it at one cell (Formulas > Name Manager)."))
            return
        ws, coordinate = where
        plan.places[item.name] = Place(ws.title, coordinate)
        plan.fields[item.name] = self._typed(item.kind, ws, coordinate, item.label, item.choices, section.name)
        if item.kind == schema.CURRENCY and plan.fields[item.name]:
            self.currency = plan.fields[item.name]

    def _read_list(self, plan: Plan, section: schema.Section, spec: schema.ListSpec) -> None:
        entry = self.tables.get(spec.table.lower())
        if entry is None:
            self.found.append(findings.make("table-missing", section.name, None,
                                            f"The workbook has no table named {spec.table}.",
                                            "Keep the template's tables; add rows inside them."))
            return
        ws, table = entry
        from openpyxl.utils import get_column_letter, range_boundaries

        min_col, header_row, max_col, max_row = range_boundaries(table.ref)
        headers = {match_key(ws.cell(row=header_row, column=c).value): c for c in range(min_col, max_col + 1)}
        columns = {c.attr: headers[match_key(c.header)] for c in spec.columns if match_key(c.header) in headers}
        plan.tables[spec.table] = TablePlace(ws.title, header_row,
                                             {attr: get_column_letter(col) for attr, col in columns.items()})
        for column in spec.required_columns:
            if column.attr not in columns:
                self.found.append(findings.make(
                    "column-missing", section.name, Place(ws.title, f"{get_column_letter(min_col)}{header_row}"),
                    f"The {spec.table} table has no '{column.header}' column.",
                    f"Add a column headed '{column.header}'."))
        last = self._last_row(ws, table, min_col, max_col, max_row)
        rows = plan.lists[spec.table]
        for r in range(header_row + 1, last + 1):
            if all(ws.cell(row=r, column=c).value in (None, "") for c in range(min_col, max_col + 1)):
                continue
            rows.append(self._read_row(ws, spec, section.name, columns, r))

    def _last_row(self, ws, table, min_col: int, max_col: int, max_row: int) -> int:
        """The table's end, or further down where rows were typed past it, up to another table."""
        from openpyxl.utils import range_boundaries

        limit = min(ws.max_row, max_row + ROWS_PAST_TABLE)
        for other in ws.tables.values():
            if other is table:
                continue
            o_min_col, o_min_row, o_max_col, _ = range_boundaries(other.ref)
            if o_min_row > max_row and o_min_col <= max_col and o_max_col >= min_col:
                limit = min(limit, o_min_row - 1)
        return max(max_row, limit)

    def _read_row(self, ws, spec: schema.ListSpec, section: str, columns: dict[str, int], r: int):
        from openpyxl.utils import get_column_letter

        values, places = {}, {}
        for column in spec.columns:
            if column.attr not in columns:
                values[column.attr] = False if column.kind == schema.MARK else column.default
                continue
            coordinate = f"{get_column_letter(columns[column.attr])}{r}"
            places[column.attr] = Place(ws.title, coordinate)
            value = self._typed(column.kind, ws, coordinate, f"{column.header} (row {r})", column.choices, section)
            if value is None:
                value = False if column.kind == schema.MARK else column.default
            values[column.attr] = value
        return ROW_CLASSES[spec.table](excel_row=r, places=places, **values)


def _unescape(text: str) -> str:
    """Excel stores characters XML cannot hold as `_x0007_`; read them as the characters they are."""
    if "_x" not in text:
        return text
    from openpyxl.utils.escape import unescape

    return unescape(text)


class _FormulaWithoutValue(Exception):
    pass


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:3]) or (0,)
