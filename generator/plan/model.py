"""The plan model: typed dataclasses a plan is read into, each value with the cell it came from.

Row classes (`Opportunity`, `Stakeholder`, ...) are made from the schema so that a column added
there is an attribute here; every row also keeps `places`, the sheet and cell of each column.
"""
from __future__ import annotations

import functools
from dataclasses import field, make_dataclass
from typing import Any

from . import schema
from ..records import record, with_shared_methods


@record
class Place:
    """Where the user sees a value: a sheet and a cell such as `D9`."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@record(frozen=False)
class Row:
    """What every list row shares: its worksheet row and the place of each column."""

    excel_row: int = field(default=0, compare=False)
    places: dict[str, Place] = field(default_factory=dict, repr=False, compare=False)
    # What the rep typed in a column whose value was refused (an error finding; the value is then blank
    # or its default), by attr: outputs show it, marked, instead of a blank.
    typed: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def place(self, attr: str) -> Place | None:
        return self.places.get(attr)


@record
class TablePlace:
    """Where a list sits: its sheet, header row and the column letter of each known column."""

    sheet: str
    header_row: int
    columns: dict[str, str]  # attr -> column letter

    def cell(self, attr: str, row: int) -> Place:
        letter = self.columns.get(attr) or next(iter(self.columns.values()), "A")
        return Place(self.sheet, f"{letter}{row}")


def _row_class(spec: schema.ListSpec) -> type:
    columns = [(c.attr, Any, field(default=c.default)) for c in spec.columns]
    cls = make_dataclass(spec.row_type, columns, bases=(Row,), eq=False, repr=False,
                         namespace={"__doc__": f"A row of the {spec.table} table, a value per column."})
    cls.__module__ = __name__
    return with_shared_methods(cls, frozen=False)


ROW_CLASSES: dict[str, type] = {spec.table: _row_class(spec) for spec in schema.LISTS.values()}
CustomerPriority = ROW_CLASSES["CustomerPriorities"]
Opportunity = ROW_CLASSES["Opportunities"]
Stakeholder = ROW_CLASSES["Stakeholders"]
Competitor = ROW_CLASSES["Competitors"]
WhitespaceItem = ROW_CLASSES["Whitespace"]
PressureQuestion = ROW_CLASSES["PressureTest"]
Risk = ROW_CLASSES["Risks"]
Action = ROW_CLASSES["Actions"]
TeamMember = ROW_CLASSES["AccountTeam"]
HealthSignal = ROW_CLASSES["HealthSignals"]
Review = ROW_CLASSES["Reviews"]


@functools.cache
def row_class(spec: schema.ListSpec) -> type:
    """The row dataclass of a list: the contract's own (also for a kit's copy of a contract list with the
    same columns, e.g. other pre-filled questions), or one made (once) for a kit's own list."""
    builtin = schema.LISTS.get(spec.table)
    if builtin is not None and builtin.row_type == spec.row_type and builtin.columns == spec.columns:
        return ROW_CLASSES[spec.table]
    return _row_class(spec)


def stages_of(stakeholder: Any) -> list[str]:
    """The buying stages a stakeholder is marked as involved in, in stage order."""
    return [stage for stage in schema.BUYING_STAGES if getattr(stakeholder, schema._attr(stage))]


@record
class Origin:
    """The kit a workbook records it was made with: its name ("" for the built-in template, which records
    none) and version, and the cell holding the name (None when there is none)."""

    kit: str = ""
    version: str = ""
    place: Place | None = None

    @property
    def builtin(self) -> bool:
        return not self.kit


@record(frozen=False)
class Plan:
    """One account plan: single fields by defined name, lists by table name.

    A value that could not be used is None here (and flagged by a finding), so renderers
    only ever see clean, typed values.
    """

    file: str = ""
    template_version: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict, repr=False, compare=False)
    lists: dict[str, list] = field(default_factory=dict)
    tables: dict[str, TablePlace] = field(default_factory=dict, repr=False, compare=False)
    read_findings: list = field(default_factory=list, repr=False, compare=False)
    # Fields (by defined name) and lists (by table name) the reader could not find at all, with why:
    # their section is unknown, not blank.
    not_found: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # What the rep typed in a field whose value was refused (an error finding), by defined name; a list
    # cell's is on its row (`Row.typed`). Outputs show it, marked invalid, instead of a blank.
    typed: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    workbook: Any = field(default=None, repr=False, compare=False)  # openpyxl book, kept for the checked copy
    # The definition the plan was read (or built) in: every field and list of it is in `fields` and `lists`.
    definition: schema.Definition = field(default=schema.DEFAULT_DEFINITION, repr=False, compare=False)
    # The kit the workbook says it was made with (None: a plan built in code, which says nothing).
    origin: Origin | None = field(default=None, compare=False)
    # Named cells and tables in the workbook that the definition does not know (another kit's, or another
    # version's): name -> (place, value as typed); table -> (sheet, rows as {header: value as typed}). Not
    # read into the plan; the kit check and `upgrade` say what they hold.
    unknown_fields: dict[str, tuple[Place, Any]] = field(default_factory=dict, repr=False, compare=False)
    unknown_lists: dict[str, tuple[str, list[dict[str, Any]]]] = field(default_factory=dict, repr=False,
                                                                       compare=False)

    def __post_init__(self) -> None:
        for name in self.definition.fields:
            self.fields.setdefault(name, None)
        for table in self.definition.lists:
            self.lists.setdefault(table, [])

    def value(self, name: str) -> Any:
        return self.fields.get(name)

    @property
    def account_name(self) -> str:
        return self.fields.get("account_name") or ""

    @property
    def currency(self) -> str:
        return self.fields.get("currency") or schema.DEFAULT_CURRENCY

    priorities = property(lambda self: self.lists["CustomerPriorities"])
    opportunities = property(lambda self: self.lists["Opportunities"])
    stakeholders = property(lambda self: self.lists["Stakeholders"])
    competitors = property(lambda self: self.lists["Competitors"])
    whitespace = property(lambda self: self.lists["Whitespace"])
    pressure_test = property(lambda self: self.lists["PressureTest"])
    risks = property(lambda self: self.lists["Risks"])
    actions = property(lambda self: self.lists["Actions"])
    team = property(lambda self: self.lists["AccountTeam"])
    health_signals = property(lambda self: self.lists["HealthSignals"])
    reviews = property(lambda self: self.lists["Reviews"])


def build_plan(fields: dict[str, Any] | None = None, lists: dict[str, list[dict]] | None = None,
               file: str = "", template_version: str | None = schema.TEMPLATE_VERSION,
               definition: schema.Definition = schema.DEFAULT_DEFINITION) -> Plan:
    """A plan from values, keyed by defined name and by table name then header or attr.

    The one other way into a Plan besides reading a workbook (samples, tests, a future web form), and it
    takes the same road: every value is cleaned and coerced as if typed into the template's cell, and what
    is off becomes the same finding (with no cell to point at). So `'Won'` as a stage is refused here too,
    `"40%"` is read as 0.4, and a control character never reaches a renderer.
    """
    from .. import fmt
    from ..assess import findings
    from .clean import clean_text
    from .coerce import coerce

    values = dict(fields or {})
    unknown = set(values) - set(definition.fields)
    if unknown:
        raise KeyError(f"not fields of the contract or the kit's definition: {sorted(unknown)}")
    unknown = set(lists or {}) - set(definition.lists)
    if unknown:
        raise KeyError(f"not lists of the contract or the kit's definition: {sorted(unknown)}")
    plan = Plan(file=file, template_version=template_version, definition=definition)
    found: list = []
    currency = schema.DEFAULT_CURRENCY

    def typed(kind: str, raw: Any, label: str, choices: tuple, section: str, refused: dict, key: str) -> Any:
        """The value; what was typed goes into `refused[key]` when it is refused (an error)."""
        if isinstance(raw, str):
            raw, changes = clean_text(raw)
            if changes:
                found.append(findings.make("text-cleaned", section, None, f"{label}: {', '.join(changes)}.",
                                           "Check the text."))
        number_format = TEMPLATE_FORMATS.get(kind, "")
        result = coerce(kind, raw, label, choices, number_format=number_format, currency=currency)
        if result.code:
            finding = findings.make(result.code, section, None, result.message, result.hint)
            found.append(finding)
            if finding.severity == findings.ERROR and result.value is None:
                refused[key] = fmt.as_typed(raw, number_format)
        return result.value

    for section in definition.sections:
        for item in section.fields:
            if item.name in values:
                plan.fields[item.name] = typed(item.kind, values[item.name], item.label, item.choices, section.name,
                                               plan.typed, item.name)
                if item.kind == schema.CURRENCY and plan.fields[item.name]:
                    currency = plan.fields[item.name]
    for table, rows in (lists or {}).items():
        spec = definition.lists[table]
        section = definition.section_of(table).name
        by_key = {**{c.header: c for c in spec.columns}, **{c.attr: c for c in spec.columns}}
        for n, given in enumerate(rows, start=1):
            kwargs, refused = {}, {}
            for key, raw in given.items():
                column = by_key[key]
                kwargs[column.attr] = typed(column.kind, raw, f"{column.header} (row {n})", column.choices, section,
                                            refused, column.attr)
            for column in spec.columns:
                if kwargs.get(column.attr) is None:
                    kwargs[column.attr] = False if column.kind == schema.MARK else column.default
            plan.lists[table].append(row_class(spec)(typed=refused, **kwargs))
    plan.read_findings = found
    return plan


# How the template formats a kind's cells: a value built in code is read as if typed into one.
TEMPLATE_FORMATS = {schema.PERCENT: "0%"}
