"""The plan model: typed dataclasses a plan is read into, each value with the cell it came from.

Row classes (`Opportunity`, `Stakeholder`, ...) are made from the schema so that a column added
there is an attribute here; every row also keeps `places`, the sheet and cell of each column.
"""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from typing import Any

from . import schema


@dataclass(frozen=True)
class Place:
    """Where the user sees a value: a sheet and a cell such as `D9`."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}"


@dataclass
class Row:
    """What every list row shares: its worksheet row and the place of each column."""

    excel_row: int = field(default=0, compare=False)
    places: dict[str, Place] = field(default_factory=dict, repr=False, compare=False)

    def place(self, attr: str) -> Place | None:
        return self.places.get(attr)


@dataclass(frozen=True)
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
    cls = make_dataclass(spec.row_type, columns, bases=(Row,))
    cls.__module__ = __name__
    return cls


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


def stages_of(stakeholder: Any) -> list[str]:
    """The buying stages a stakeholder is marked as involved in, in stage order."""
    return [stage for stage in schema.BUYING_STAGES if getattr(stakeholder, schema._attr(stage))]


@dataclass
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
    workbook: Any = field(default=None, repr=False, compare=False)  # openpyxl book, kept for the checked copy

    def __post_init__(self) -> None:
        for name in schema.FIELDS:
            self.fields.setdefault(name, None)
        for table in schema.LISTS:
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
               file: str = "", template_version: str | None = schema.TEMPLATE_VERSION) -> Plan:
    """A plan from clean, typed values, keyed by defined name and by table name then header or attr.

    Used by tests and by the sample writer, so that plans are built in code, not by hand in Excel.
    Stage marks may be given as any mark word (`X`, `Yes`, `True`).
    """
    plan = Plan(file=file, template_version=template_version, fields=dict(fields or {}))
    unknown = set(plan.fields) - set(schema.FIELDS)
    if unknown:
        raise KeyError(f"not fields of the contract: {sorted(unknown)}")
    for table, rows in (lists or {}).items():
        spec = schema.LISTS[table]
        by_key = {**{c.header: c for c in spec.columns}, **{c.attr: c for c in spec.columns}}
        for values in rows:
            kwargs = {}
            for key, value in values.items():
                column = by_key[key]
                if column.kind == schema.MARK:
                    value = str(value).strip().lower() in schema.MARK_WORDS if value not in (None, "") else False
                kwargs[column.attr] = value
            for column in spec.columns:
                if column.kind == schema.MARK:
                    kwargs.setdefault(column.attr, False)
            plan.lists[table].append(ROW_CLASSES[table](**kwargs))
    return plan
