"""Findings as data: a catalogue of stable codes, and the `Finding` record every check yields."""
from __future__ import annotations

from dataclasses import asdict, replace

from ..plan.schema import SECTIONS

from ..records import record

ERROR, WARNING, INFO = "error", "warning", "info"


@record
class FindingType:
    """One entry of the catalogue: a stable code, its severity and what it means in a word."""

    code: str
    severity: str
    title: str


CATALOGUE: dict[str, FindingType] = {t.code: t for t in (
    # What the reader meets in a cell
    FindingType("wrong-kind", ERROR, "A value of the wrong kind (text where a number or date belongs)"),
    FindingType("out-of-range", ERROR, "A value out of range (probability over 100%, score outside 1-5, "
                                       "negative money)"),
    FindingType("choice-invalid", ERROR, "A value that is not one of the allowed choices"),
    FindingType("value-ambiguous", ERROR, "A number that could be read more than one way (950.000, 1,5M, "
                                          "500 TBD, a probability of 1 in a plain cell)"),
    FindingType("currency-mismatch", ERROR, "An amount typed in another currency than the plan's"),
    FindingType("value-coerced", WARNING, "Text accepted as a number, date or percent; better typed as one"),
    FindingType("formula-no-value", WARNING, "A formula saved without its value (recalculate and save in "
                                             "Excel)"),
    FindingType("text-cleaned", WARNING, "Control characters or over-long text removed from a value"),
    FindingType("table-missing", WARNING, "A list's Excel table is not in the workbook"),
    FindingType("table-recovered", WARNING, "A list read from its header row because its Excel table is missing"),
    FindingType("column-missing", WARNING, "A list has no column for one of its optional headers"),
    FindingType("required-column-missing", ERROR, "A list has no column for a required header: none of its "
                                                  "values can be used"),
    FindingType("header-renamed", WARNING, "A column found under a header with units or decorations added"),
    FindingType("name-broken", WARNING, "A defined name that does not point at one cell"),
    FindingType("name-recovered", WARNING, "A field found without its defined name (a sheet-scoped name or "
                                           "its label)"),
    FindingType("name-missing", WARNING, "A field whose defined name is missing and whose label is not found"),
    FindingType("row-total-skipped", WARNING, "A totals row (Total, Subtotal, Sum) not read as data"),
    FindingType("row-duplicate", WARNING, "A list row identical to an earlier one"),
    # The kit the plan was made with
    FindingType("template-old", WARNING, "The plan was made with another version of its kit"),
    FindingType("kit-other", WARNING, "The plan was made with another kit than the one it is checked with "
                                      "(named, with its version); that kit's own fields and lists are not read"),
    # Completeness
    FindingType("required-missing", WARNING, "A required item is blank"),
    FindingType("section-missing", WARNING, "A whole section is blank"),
    FindingType("section-incomplete", WARNING, "A section has some required items blank"),
    # Plan quality
    FindingType("action-no-owner", WARNING, "An action with no owner"),
    FindingType("action-no-due-date", WARNING, "An action with no due date"),
    FindingType("action-overdue", WARNING, "An open action past its due date"),
    FindingType("no-open-action", WARNING, "No open action at all"),
    FindingType("opportunity-past-close", WARNING, "An opportunity not Secured whose close date has passed"),
    FindingType("no-decision-maker", WARNING, "No Decision maker among the stakeholders"),
    FindingType("decision-maker-weak", WARNING, "The Decision maker's relationship is Poor or Unknown"),
    FindingType("single-threaded", WARNING, "Fewer than two stakeholders at Trusted advisor or Building trust"),
    FindingType("stage-exposed", WARNING, "A buying stage with a Detractor and no Supporter or Trusted advisor"),
    FindingType("sponsor-unknown", WARNING, "The objective's sponsor is not among the stakeholders"),
    FindingType("risk-unmitigated", WARNING, "A High-impact risk with no mitigation or no owner"),
    FindingType("review-overdue", WARNING, "The next review date has passed"),
    FindingType("plan-stale", WARNING, "The plan date is more than 100 days before the as-of date"),
)}

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
_SECTION_ORDER = {s.name: i for i, s in enumerate(SECTIONS)}


@record
class Finding:
    """One thing wrong or weak in a plan, pointing at the cell the user must look at."""

    code: str
    severity: str
    section: str
    sheet: str
    cell: str
    message: str
    hint: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    def strict(self) -> Finding:
        return replace(self, severity=ERROR) if self.severity == WARNING else self


def make(code: str, section: str, place, message: str, hint: str = "") -> Finding:
    """A finding of a catalogued code; `place` is a model.Place or None (whole workbook)."""
    sheet, cell = (place.sheet, place.cell) if place is not None else ("", "")
    return Finding(code, CATALOGUE[code].severity, section, sheet, cell, message, hint)


def sort_key(f: Finding) -> tuple:
    """Errors first, then in the plan's section order, then down the sheet."""
    return (SEVERITY_ORDER[f.severity], _SECTION_ORDER.get(f.section, -1), f.sheet, _cell_key(f.cell), f.code)


def _cell_key(cell: str) -> tuple:
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, len(letters), letters)
