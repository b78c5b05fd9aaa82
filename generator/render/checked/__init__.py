"""The checked workbook: the rep's own workbook handed back with the figures and every problem marked.

Everything the rep typed stays as it was. The renderer adds a Summary sheet (the figures, a native
chart of the path to the number), a Review sheet (one linked row per finding), and flags each cell
with a finding in place: a fill colour and a comment. What it changed is recorded in a hidden sheet,
so the next run restores the rep's own fills and comments before flagging again: a checked workbook
can be fixed and built again, and it gives the same result, never doubled flags.

openpyxl loses two things on a round trip that matter here, and both are put back: the choice
drop-downs Excel stores as extensions (re-created from the definition), and the values saved with the
rep's formulas (written back from what the reader read, carried in the `Source`).

The jobs, in order: `working` (the copy, undoing the last run, recording this one), `dropdowns`,
`summary`, `review` (the Review sheet and the flags in cells), `changes` (with `build --since`), `save`; `styles` is the kit's brand.
"""
from __future__ import annotations

from pathlib import Path

from ...kit import Kit
from ...view import PlanView
from .changes import CHANGES_SHEET, changes_sheet, propose_review
from .dropdowns import ensure_dropdowns
from .review import REVIEW_SHEET, SECTION_LINK, flag_cells, review_sheet
from .save import activate, save, set_properties
from .styles import styles_of
from .summary import SUMMARY_SHEET, summary_sheet
from .working import FLAGS_SHEET, Source, record_run, source_of, undo_previous_run, working_copy

__all__ = ["CHANGES_SHEET", "FLAGS_SHEET", "REVIEW_SHEET", "SECTION_LINK", "SUMMARY_SHEET", "Source", "render", "source_of"]


def render(view: PlanView, kit: Kit, path: Path, source: Source | None = None, in_place: bool = False) -> None:
    """Write the checked workbook to `path` (.xlsx): `source`'s workbook checked (left unchanged, unless
    `in_place`: its owner reads it no more), or for a plan built in code (no source) the kit's blank template
    filled in from the view."""
    look = styles_of(kit.brand)
    work = working_copy(view, kit, source, in_place)
    workbook = work.workbook
    undo_previous_run(workbook)
    ensure_dropdowns(workbook, kit.definition, work, view)
    summary = summary_sheet(workbook, view, look)
    review = review_sheet(workbook, view, summary.title, look)
    flagged = flag_cells(workbook, view, look)
    added = [summary.title, review.title]
    if view.changes is not None:                     # `build --since`: the Changes sheet, a proposed review
        added.append(changes_sheet(workbook, view, review.title, look).title)
        propose_review(workbook, view, work.tables, look)
    record_run(workbook, added, flagged)
    activate(workbook, summary)
    set_properties(workbook, view)
    save(workbook, Path(path), view.as_of, work.formula_values)
