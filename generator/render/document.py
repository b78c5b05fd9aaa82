"""The Word plan document: the whole plan, read end to end by a sponsor, signed up to by the account team.

Sections follow the plan's order under real Word styles (Title, Heading 1-2, List Bullet, a table style), so
Word's navigation pane and table of contents work. The document lays out a `PlanView` in a kit's brand and
nothing else: every value, label, mark, tone, row order, the three leadership answers and a missing section's
sentence come from the view (so the document reads the same as the deck and the checked workbook). This module
decides what goes where; the document's own prose (summary paragraphs, intros, headings) lives in the kit's
`document/plan.j2`, where an enablement team can change it without touching code.

Each section of the definition is written by the writer `SECTION_WRITERS` names for it; a section it does not
name (a kit's own) gets the generic writer: its heading, its fields as "label: value" and its lists as tables
with the definition's columns. A section the rep left blank keeps its heading and says in one sentence that it
is missing.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jinja2
from docx.oxml.ns import qn

from .. import PRODUCER, fmt
from ..plan import schema
from .docx_parts import (TABLE_END, TABLE_STYLE, TABLE_TEXT, Cell, Col, Fit, add_contents, add_run, body_font, clean,
                         fit, from_xml, keep_with_next, mark_right_to_left, new_document, page_numbers, page_of,
                         paragraph_xml, reference_document, run_xml, save_stamped, section_break, table_xml,
                         text_lines)
from ..brand import Brand
from ..kit import Kit
from ..view import Cell as ViewCell
from ..view import Column, FieldView, ListView, PlanView, Row, SectionView
from ..records import record

TEMPLATE = "plan.j2"
UNBROKEN = (schema.MONEY, schema.DATE, schema.PERCENT, schema.CHOICE, schema.MARK)  # kinds whose cells never wrap
BULLET = "List Bullet"
STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", BULLET, "TOC Heading", TABLE_STYLE, TABLE_TEXT, TABLE_END)
"""The styles the document uses, each looked up once (by name) for its id."""
FIGURE_ROWS = ("annual_target", "prior_year_actual", "secured", "forecast", "pipeline", "prospect",
               "weighted_open", "gap_to_target", "uncovered_gap", "pipeline_coverage", "growth_vs_prior")
"""The view's figures in the figures table, in order; the summary paragraph quotes the same texts."""
COVER_FIELDS = ("account_owner", "plan_period", "plan_date", "position", "industry", "region", "account_tier",
                "next_review_date", "as_of")
"""The cover's facts, in order: fields by name, or (`position`, `as_of`) the view's figures."""
OVERVIEW_FIELDS = ("customer_overview", "macro_environment")
OBJECTIVE_FACTS = ("objective_value", "objective_decision_date", "objective_sponsor")
"""The objective's facts, a column each in one row (money lines up on the right); why now follows in a line."""
PERSON = ("name", "title", "department")
LOGO_IN = (1.8, 0.75)   # the largest width and height (inches) of the kit's logo on the cover
DRIVERS = ("name", "personal_drivers", "our_contact", "next_action", "rising_star")
W_T = qn("w:t")   # a run's text (lxml's `itertext` costs 30 times as much on python-docx's elements)
SHORT_LINES = 24   # about half a portrait page: a part this short between landscape parts goes landscape too
KEEP_LINES = 16    # about a third of a page: a part's heading and intro this short stay with its first table


def render(view: PlanView, kit: Kit, path: Path) -> None:
    """Write the plan document of `view`, in `kit`'s brand and document wording, to `path` (.docx)."""
    writer = Writer(view, kit, wording(kit.document_templates))
    parts = writer.parts()
    writer.cover()
    writer.contents([heading for heading, _ in parts if heading])
    for part, landscape in orientations(writer.written(parts)):
        writer.lay_out(part, landscape)
    writer.save(Path(path))


def plan_document(kit: Kit) -> tuple[Any, str]:
    """The document to write into, and the font its tables' text is set in: the kit's reference document
    (`document.docx`) when it has one, emptied and given the plan's styles it lacks, else a new one in the brand.
    A kit that names no font of its own leaves the reference's fonts as they are."""
    if kit.document_template is None:
        return new_document(kit.brand), kit.brand.font
    own_fonts = (kit.brand.font, kit.brand.heading_font) != (Brand.font, Brand.heading_font)
    doc = reference_document(kit.document_template, kit.brand, own_fonts)
    return doc, body_font(doc)


@functools.lru_cache(maxsize=None)
def wording(folder: Path) -> Any:
    """The macros and labels of `folder`'s template as a module (`words.standing(...)`, `words.headings`).

    Compiled once per folder: every document of a kit shares it (macros keep no state between calls); and
    once per version of the template on this machine: Jinja2 keeps the compiled code in a folder only this
    user may write (`bytecode_cache`), so a later process skips compiling it (≈ 14 ms of a build).
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True, bytecode_cache=bytecode_cache())
    return env.get_template(TEMPLATE).module


@functools.lru_cache(maxsize=None)
def bytecode_cache() -> Any:
    """Jinja2's cache of compiled templates in the temporary folder (a folder of this user's, mode 700, that
    Jinja2 checks); None where it cannot have one, and the template is compiled every time."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


# Text as the document shows it -------------------------------------------------------------------

def paragraphs(wording: str) -> list[str]:
    """Template output as paragraphs: a blank line separates them, a line break inside one reads as a space."""
    blocks = re.split(r"\n[ \t]*\n", wording.strip())
    return [re.sub(r"[ \t]*\n[ \t]*", " ", block.strip()) for block in blocks if block.strip()]


def one_line(text: str) -> str:
    """Text for running text or a header: cleaned, a line break read as a space."""
    return clean(text).replace("\n", " ")


def given(cell: ViewCell) -> str | None:
    """A value for running text in a template: its text on one line; None when the plan leaves it blank."""
    if cell.value is None or cell.value == "":
        return None
    return one_line(cell.text)


def column(col: Column) -> Col:
    """A column of one of the plan's lists: money, dates, shares and choices never wrap, text does; money and
    shares line up on the right."""
    return Col(col.header, fixed=col.kind in UNBROKEN, right=col.right_aligned)


# The writer: a python-docx document in the kit's brand ------------------------------------------

@record(frozen=False)
class _Held:
    """A table of the body, held back until its part knows its orientation: where it goes (a placeholder), what
    it holds, its share of the text width and its columns laid out for a portrait page."""

    place: Any
    caption: str
    cols: list[Col]
    rows: list[list]
    share: float
    portrait: Fit

    @property
    def wide(self) -> bool:
        """It asks for a landscape page: portrait would squeeze its text, and it is meant to span the page (a
        table drawn narrower on purpose, as the figures, keeps its portrait page and its compact look)."""
        return self.portrait.cramped and self.share >= 1.0


@record(frozen=False)
class _Part:
    """A part of the body as written, not yet laid out: the element before it (where a change of orientation
    breaks the section, so the part's heading goes with its tables), its tables held back, and about how many
    lines it takes on a portrait page (counted up to `SHORT_LINES` and a little more: all `orientations` asks)."""

    before: Any
    held: list[_Held] = field(default_factory=list)
    lines: float = 0.0

    @property
    def wide(self) -> bool:
        """One of its tables asks for a landscape page."""
        return any(table.wide for table in self.held)


def orientations(parts: Iterable[_Part]) -> Iterator[tuple[_Part, bool]]:
    """Each part with its orientation, True for landscape, as soon as it is known: a part one of whose tables asks
    for it goes landscape (and those in a row share their pages); so does a run of short parts between two
    landscape ones, or after the last one, since a portrait interlude would cost two changes of orientation and
    a page of a few lines (what fits a portrait page fits a landscape one). The plan's order stays as it is.

    Only such a run waits for what follows it (at most `SHORT_LINES` of text and small tables): every other part
    is laid out, and its tables let go, as soon as it is written."""
    waiting: list[_Part] = []   # short portrait parts after a landscape one
    landscape = False           # the orientation of the last part given one
    for part in parts:
        if not part.wide and landscape and sum(p.lines for p in waiting) + part.lines <= SHORT_LINES:
            waiting.append(part)
            continue
        landscape = part.wide
        yield from ((p, landscape) for p in waiting)
        yield part, landscape
        waiting = []
    yield from ((p, True) for p in waiting)


class Writer:
    """Adds headings, paragraphs and tables in the plan's styles; every text goes through `clean`.

    Each part of the body (a Heading 1 and what follows it) goes on portrait pages, or on landscape ones when one
    of its tables is too wide for portrait (`fit` says it would squeeze its text), or when it is a short portrait
    interlude between landscape parts (`orientations`). A part's paragraphs are written at once and its tables
    held back (a placeholder keeps each one's place) until its orientation is known: when it is done, or, for a
    short part after a landscape one, when the next part is. Then (`lay_out`) a part whose orientation differs
    from the one before starts a new section, its heading first, and its tables are laid out for that page's
    width. Nothing is written twice.

    Paragraphs and tables are written as WordprocessingML (`docx_parts.paragraph_xml`, `table_xml`) with their
    styles named by the ids looked up once here, never through python-docx's one-property-at-a-time API.
    """

    def __init__(self, view: PlanView, kit: Kit, words: Any):
        self.view, self.kit, self.brand, self.words = view, kit, kit.brand, words
        self.d = kit.definition
        self.doc, self.font = plan_document(kit)
        self.end = self.doc.element.body.sectPr   # everything is written before the body's section properties
        self.styles = {name: self.doc.styles[name].style_id for name in STYLES}
        self.page = page_of(self.doc.sections[0])
        self.landscape = False   # the orientation of the section being laid out
        self.current: _Part | None = None   # the part being written
        self.held: list[_Held] | None = None   # its tables, held back

    def written(self, parts: list[tuple[str | None, Callable[[Writer], None]]]) -> Iterator[_Part]:
        """Write each part of the body under its heading, its tables held back, and yield it once written; a part
        without a heading of its own (the customer agenda) goes on under the previous one and on its pages, so no
        heading is left behind on a page of another orientation."""
        for heading, write in parts:
            if heading or self.current is None:
                if self.current is not None:
                    yield self.current
                self.current = _Part(self.end.getprevious())
            self.part(heading, write)
        if self.current is not None:
            yield self.current
        self.current = None

    def part(self, heading: str | None, write: Callable[[Writer], None]) -> None:
        """Write a part (or what goes on under the previous heading) into the current `_Part`, and count its
        lines while it is short."""
        current = self.current
        last, tables = self.end.getprevious(), len(current.held)
        self.held = current.held
        if heading:
            self.heading(heading)
        write(self)
        self.held = None
        if current.lines <= SHORT_LINES:
            current.lines += self.lines_after(last, current.held[tables:])

    def lines_after(self, last, tables: list[_Held]) -> float:
        """About how many lines what was written after the element `last` takes on a portrait page, counted up
        to a little over `SHORT_LINES` (a long part is not measured to its end): each paragraph's text at the
        body's size, and each of `tables` (the tables among it) a line and a half a row."""
        width = self.page.text_width(False)
        lines = sum(1.5 * (len(table.rows) + 1) for table in tables)
        element = last.getnext() if last is not None else self.doc.element.body[0]
        while element is not None and element is not self.end and lines <= SHORT_LINES:
            if element.tag == qn("w:p"):
                lines += text_lines("".join(t.text or "" for t in element.iter(W_T)), width, self.font)
            element = element.getnext()
        return lines

    def lay_out(self, part: _Part, landscape: bool) -> None:
        """A written part in its orientation, a new section where that changes (before the part's heading), its
        tables laid out for its page's width and put in their places."""
        if landscape != self.landscape:
            self.turn(landscape, part.before)
        width = self.page.text_width(landscape)
        for table in part.held:
            laid = fit(table.cols, table.rows, width * table.share, self.font) if landscape else table.portrait
            table.place.addprevious(from_xml(table_xml(table.caption, table.cols, table.rows, laid, self.styles,
                                                       self.brand)))
            table.place.getparent().remove(table.place)
        part.held.clear()   # laid out: its rows may go

    def turn(self, landscape: bool, after) -> None:
        """Go on after the element `after` in a new section, on a new page, landscape or portrait."""
        section_break(self.doc, after, landscape, self.page, self.styles[TABLE_END])
        self.landscape = landscape

    def add(self, xml: str):
        """Append the paragraph or table `xml` spells to the body; the element."""
        element = from_xml(xml)
        self.end.addprevious(element)
        return element

    # What goes where

    def parts(self) -> list[tuple[str | None, Callable[[Writer], None]]]:
        """Each part of the body: its Heading 1 (None: it goes on under the previous one) and its writer."""
        headings = self.words.headings
        parts: list[tuple[str | None, Callable[[Writer], None]]] = [(headings["summary"], summary)]
        if self.view.changes is not None:
            parts.append(changes_heading(self.view.changes))
        for section in self.view.sections:
            if section.name in SECTION_WRITERS:
                key, write = SECTION_WRITERS[section.name]
                heading = headings[key] if key else None
                write = with_own_fields(write)
            else:
                heading, write = section.name, generic
            parts.append((heading, functools.partial(write, section=section)))
        parts.append((headings["appendix"], plan_health))
        return parts

    # Values as cells and labels

    def colour(self, tone: str | None) -> str | None:
        """The brand's colour for a view's tone (None: the style's own colour)."""
        return getattr(self.brand, tone) if tone else None

    def cell(self, cell: ViewCell) -> Cell:
        """A view's cell as a table cell: money on the right; a value the rep typed that cannot be used in red and
        bold behind the warning mark."""
        if cell.invalid:
            return Cell(self.invalid_text(cell), self.brand.bad, True, cell.right_aligned)
        return Cell(cell.text, self.colour(cell.tone), cell.strong, cell.right_aligned)

    def invalid_text(self, cell: ViewCell) -> str:
        return f"{self.label('invalid')} {cell.text}"

    def label(self, key: str) -> str:
        return self.words.labels[key]

    def field_label(self, item: FieldView) -> str:
        """The field's label: the document's shorter one where the template names one, else the definition's."""
        return self.words.labels.get(item.name) or item.label

    def field(self, name: str) -> FieldView:
        return next(item for section in self.view.sections for item in section.fields if item.name == name)

    # Paragraphs and tables

    def heading(self, text: str, level: int = 1) -> None:
        self.styled(clean(text), f"Heading {level}")

    def styled(self, text: str, style: str) -> None:
        """A paragraph of `text` in the named style, as python-docx's `add_paragraph(text, style)` writes it."""
        self.add(paragraph_xml(run_xml(text) if text else "", self.styles[style]))

    def subheading(self, key: str) -> None:
        self.heading(self.words.subheadings[key], 2)

    def para(self, text: str, style: str | None = None, bold: bool = False, colour: str | None = None) -> None:
        self.add(paragraph_xml(run_xml(text, bold, colour), self.styles[style] if style else None))

    def say(self, wording: str, style: str | None = None, colour: str | None = None) -> None:
        """Each paragraph of a template macro's output, in `style`."""
        for text in paragraphs(wording):
            self.para(text, style, colour=colour)

    def text_or_blank(self, item: FieldView) -> None:
        """A paragraph of the rep's own text, line breaks kept; says so where it is blank."""
        if item.cell.invalid:
            self.para(self.invalid_text(item.cell), bold=True, colour=self.brand.bad)
        elif item.cell.value in (None, ""):
            self.say(self.words.not_filled(self.field_label(item)), colour=self.brand.muted)
        else:
            self.para(item.cell.text, bold=item.cell.strong, colour=self.colour(item.cell.tone))

    def field_line(self, item: FieldView) -> None:
        """`Label: value`, the label in bold, the value marked as its cell is."""
        shown = self.cell(item.cell)
        self.add(paragraph_xml(run_xml(f"{self.field_label(item)}: ", bold=True)
                               + run_xml(shown.text, shown.bold, shown.colour)))

    def missing(self, section: SectionView) -> bool:
        """True, after saying so in one sentence, when `section` is missing in the plan."""
        if section.missing:
            self.say(section.missing_text, colour=self.brand.bad)
        return section.missing

    def table(self, caption: str, cols: list[Col], rows: list[list], share: float = 1.0) -> None:
        """A table taking `share` of the text width, `caption` its alternative text (see `table_xml`), kept on
        the page of what leads to it (`keep_lead`); in a part, held back until the body knows each part's
        orientation (a table too wide for a portrait page asks for a landscape one)."""
        self.keep_lead()
        portrait = fit(cols, rows, self.page.text_width(False) * share, self.font)
        if self.held is None:
            self.add(table_xml(caption, cols, rows, portrait, self.styles, self.brand))
        else:
            self.held.append(_Held(self.add("<w:tbl/>"), caption, cols, rows, share, portrait))
        self.add(paragraph_xml("", self.styles[TABLE_END]))  # keeps what follows off the table's last row

    def keep_lead(self) -> None:
        """Keep what leads to the table about to be written on its page: for a part's first table, the part's
        heading and all that follows it when that is at most `KEEP_LINES` (a heading never waits at the foot of
        a page for its table on the next), else the paragraph just before the table (its caption or intro)."""
        whole = self.held == [] and self.lines_after(self.current.before, []) <= KEEP_LINES
        element = self.current.before.getnext() if whole else self.end.getprevious()
        while element is not None and element is not self.end:
            if element.tag == qn("w:p"):
                keep_with_next(element)
            element = element.getnext()

    def list_table(self, listed: ListView, rows: tuple[Row, ...] | None = None) -> None:
        """A table of one of the plan's lists: the definition's columns, the view's rows in the view's order."""
        shown = listed.rows if rows is None else rows
        self.table(listed.table, [column(c) for c in listed.columns],
                   [[self.cell(row[c.attr]) for c in listed.columns] for row in shown])

    # The cover, the header and footer, the contents, the file

    def cover(self) -> None:
        view = self.view
        self.logo()
        self.styled(clean(view.account), "Title")
        self.say(self.words.subtitle(given(view.fact("plan_period"))), style="Subtitle")
        account = self._section_of("account_name")
        if account is not None:
            self.missing(account)  # says so only when the whole section is blank
        self.table("Cover", [Col(self.label("item"), fixed=True), Col(self.label("value"))],
                   [self._cover_fact(name) for name in COVER_FIELDS], share=0.8)
        self._header_footer()
        self.page_break()

    def logo(self) -> None:
        """The kit's logo at the top right of the cover, within `LOGO_IN` inches, its aspect ratio kept."""
        if self.kit.logo is None:
            return
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches
        from PIL import Image

        with Image.open(self.kit.logo) as image:
            width, height = image.size
        scale = min(LOGO_IN[0] / width, LOGO_IN[1] / height)
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run().add_picture(str(self.kit.logo), width=Inches(width * scale), height=Inches(height * scale))

    def _cover_fact(self, name: str) -> list:
        if name == "position":
            position = self.view.figure("position")
            shown = Cell(position.text, bold=True) if position.value else \
                Cell(self.kit.wording.mark("not_placed"), self.brand.bad, True)
            return [position.label, shown]
        if name == "as_of":
            as_of = self.view.figure("as_of")
            return [as_of.label, as_of.text]
        item = self.field(name)
        return [self.field_label(item), self.cell(item.cell)]

    def _section_of(self, field_name: str) -> SectionView | None:
        return next((s for s in self.view.sections if any(f.name == field_name for f in s.fields)), None)

    def page_break(self) -> None:
        self.add('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def _header_footer(self) -> None:
        """The account and period in the header, the page numbers in the footer, each unless the kit's reference
        document has a header (or footer) of its own, which then stays as it is; the cover goes without them."""
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True
        if section.header.is_linked_to_previous:      # no header of its own
            header_text = self.words.header(one_line(self.view.account), given(self.view.fact("plan_period")))
            add_run(section.header.paragraphs[0], paragraphs(header_text)[0], colour=self.brand.muted)
        if section.footer.is_linked_to_previous:
            page_numbers(section.footer.paragraphs[0], self.label("page"), self.label("of"), self.brand.muted)

    def contents(self, headings: list[str]) -> None:
        """The contents, listing the sections; Word adds their page numbers when the reader updates it (F9)."""
        self.styled(clean(self.words.headings["contents"]), "TOC Heading")
        add_contents(self.doc, headings)
        self.page_break()

    def save(self, path: Path) -> None:
        """Save with core properties from the plan (title: the account, subject, author: its owner, keywords) and
        zip entry times from `as_of`, so each run writes the same bytes; never printed, so no print date."""
        view = self.view
        when = dt.datetime.combine(view.as_of, dt.time())
        mark_right_to_left(self.doc)
        props = self.doc.core_properties
        props.title = _property("" if view.account_missing else view.account)
        props.author = _property(given(view.fact("account_owner")) or "")
        props.subject = _property(paragraphs(self.words.subtitle(given(view.fact("plan_period"))))[0])
        keywords = paragraphs(self.words.keywords(view.figure("position").value, given(view.fact("industry")),
                                                  given(view.fact("region"))))
        props.keywords = _property(keywords[0] if keywords else "")
        props.comments = ""          # python-docx's template says "generated by python-docx" there
        props.last_modified_by = PRODUCER
        props.created = props.modified = when
        props.revision = 1
        save_stamped(self.doc, path, when)


# The summary and the appendix: the whole plan at a glance -----------------------------------------

def summary(w: Writer) -> None:
    """What a sponsor reads if nothing else: standing, objective, the number, three leadership questions."""
    view, words, fact = w.view, w.words, w.view.fact
    figure = view.figure
    period = given(fact("plan_period"))
    objective = {"title": given(fact("objective_title")), "value": given(fact("objective_value")),
                 "sponsor": given(fact("objective_sponsor")), "decision_date": given(fact("objective_decision_date"))}
    shown = {key: figure(key).text if figure(key).value is not None else None for key in FIGURE_ROWS}
    w.say(words.standing(None if view.account_missing else one_line(view.account),
                         figure("position").value, period, figure("completeness").text, len(view.findings)))
    w.say(words.objective_summary(objective))
    w.say(words.path_summary({"period": period, **shown}))
    for answer in view.answers:
        w.heading(answer.question, 2)
        for line in answer.lines:
            w.para(line.text, BULLET, bold=line.gap, colour=w.brand.bad if line.gap else None)


def changes_heading(diff) -> tuple[str, Callable[[Writer], None]]:
    """The part `build --since` adds after the summary: its heading and `changes` to write it."""
    from ..diff import since_title

    return since_title(diff), changes


def changes(w: Writer) -> None:
    """What changed since the earlier version (the view's `changes`): the one-line summary, the figures that
    moved before → after, then each list's changes with their first names, as the deck's slide has them."""
    from ..diff import overview_rows

    diff, words = w.view.changes, w.kit.wording.diff
    w.para(words["summary_line"].format(summary=diff.summary), bold=True)
    if diff.figures:
        w.table(words["caption_figures"], [Col(words["header_figure"]),
                                           Col(words["header_before"], fixed=True, right=True),
                                           Col(words["header_after"], fixed=True, right=True)],
                [[c.label, c.before_text, c.after_text] for c in diff.figures], share=0.7)
    rows = overview_rows(diff)
    if rows:
        w.table(words["caption_changes"], [Col(words["header_area"], fixed=True),
                                           Col(words["header_change"], fixed=True), Col(words["header_items"])],
                [list(row) for row in rows])


def plan_health(w: Writer) -> None:
    """Every finding with the sheet and cell to fix, after how complete each section is."""
    view, words = w.view, w.words
    w.say(words.plan_health(view.figure("completeness").text, [s.name for s in view.sections if s.missing],
                            [s.name for s in view.sections if s.incomplete]))
    w.subheading("completeness")
    w.table("Completeness", [Col(w.label("section")), Col(w.label("complete"), fixed=True, right=True),
                             Col(w.label("status"), fixed=True)],
            [[s.name, s.share_text, w.cell(s.status_cell)] for s in view.sections], share=0.7)
    w.subheading("findings")
    if not view.findings:
        w.say(words.no_findings())
        return
    w.say(words.findings_intro(len(view.findings)))
    w.table("Findings", [Col(w.label("severity"), fixed=True), Col(w.label("section")), Col(w.label("sheet")),
                         Col(w.label("cell"), fixed=True), Col(w.label("finding")), Col(w.label("what_to_do"))],
            [[Cell(f.severity.capitalize(), w.colour(f.tone), True), f.section, f.sheet, f.cell, f.message, f.hint]
             for f in view.findings])


# Sections, in the definition's order ------------------------------------------------------------

def generic(w: Writer, section: SectionView) -> None:
    """Any section: its fields as `label: value`, then each of its lists as a table."""
    if w.missing(section):
        return
    for item in section.fields:
        w.field_line(item)
    for listed in section.lists:
        w.list_table(listed)


def lists(w: Writer, section: SectionView) -> None:
    """A section that is its lists: each as a table (or the sentence saying the section is missing)."""
    if not w.missing(section):
        for listed in section.lists:
            w.list_table(listed)


def overview(w: Writer, section: SectionView) -> None:
    """The account's own story; its other facts are on the cover."""
    for name in OVERVIEW_FIELDS:
        item = section.field(name)
        w.heading(w.field_label(item), 2)
        w.text_or_blank(item)


def agenda(w: Writer, section: SectionView) -> None:
    w.subheading("agenda")
    lists(w, section)


def path_to_number(w: Writer, section: SectionView) -> None:
    if w.missing(section):
        return
    w.say(w.words.path_intro())
    w.subheading("figures")
    rows = [[Cell(f.label, w.colour(f.tone), bool(f.tone)), Cell(f.text, w.colour(f.tone), bool(f.tone))]
            for f in map(w.view.figure, FIGURE_ROWS)]
    w.table("Figures", [Col(w.label("figure")), Col(w.label("value"), fixed=True, right=True)], rows, share=0.6)
    w.subheading("opportunities")
    opportunities = section.list("Opportunities")
    if not opportunities.rows:
        w.say(w.words.no_opportunities())
        return
    w.list_table(opportunities)
    late = opportunities.rows_with("past-close")
    if late:
        w.say(w.words.past_close(len(late), w.d), colour=w.brand.bad)


def objective(w: Writer, section: SectionView) -> None:
    if w.missing(section):
        return
    title = section.field("objective_title")
    if title.cell.value not in (None, ""):
        w.para(title.cell.text, bold=True, colour=w.brand.primary)
    else:
        w.text_or_blank(title)
    w.text_or_blank(section.field("objective_description"))
    facts = [section.field(name) for name in OBJECTIVE_FACTS]
    w.table("Objective", [Col(w.field_label(item), fixed=item.cell.kind in UNBROKEN, right=item.cell.right_aligned)
                          for item in facts], [[w.cell(item.cell) for item in facts]])
    w.field_line(section.field("objective_why_now"))


def relationships(w: Writer, section: SectionView) -> None:
    if w.missing(section):
        return
    people, exposed = section.list("Stakeholders"), w.view.figure("exposed_stages")
    stages = [c for c in people.columns if c.kind == schema.MARK]
    w.subheading("stakeholders")
    marks = [Col(stage.header, fixed=True, centre=True, turn=True,
                 fill=w.brand.bad if stage.header in exposed.value else None)
             for stage in stages]  # an exposed stage's header in red
    cols = [Col(w.label("stakeholder")), column(people.column("role")), column(people.column("relationship")),
            *marks]
    w.table("Stakeholders", cols, [[_person(row), w.cell(row["role"]), w.cell(row["relationship"]),
                                    *(_stage_mark(w, row[stage.attr]) for stage in stages)] for row in people.rows])
    w.say(w.words.exposed(list(exposed.value), w.d), colour=w.colour(exposed.tone))
    if not people.rows_with("decision-maker"):
        w.say(w.words.no_decision_maker(w.d), colour=w.brand.bad)
    w.subheading("drivers")
    w.table("Stakeholder drivers", [column(people.column(attr)) for attr in DRIVERS],
            [[w.cell(row[attr]) for attr in DRIVERS] for row in people.rows])


def _person(row: Row) -> str:
    return ", ".join(row[attr].text for attr in PERSON if row[attr].value not in (None, "")) or fmt.NONE


def _stage_mark(w: Writer, cell: ViewCell) -> Cell:
    """A stage the person takes part in: the mark, in the colour of our relationship with them."""
    return Cell(w.label("stage_mark"), w.colour(cell.tone), cell.strong) if cell.value else Cell("")


def components(w: Writer, section: SectionView) -> None:
    """One paragraph per component, each under its own Heading 2."""
    if w.missing(section):
        return
    for item in section.fields:
        w.heading(w.field_label(item), 2)
        w.text_or_blank(item)


def whitespace(w: Writer, section: SectionView) -> None:
    if w.missing(section):
        return
    w.say(w.words.whitespace_open(w.view.figure("whitespace_open").text))
    lists(w, section)


def pressure_test(w: Writer, section: SectionView) -> None:
    if w.missing(section):
        return
    readiness = w.view.figure("readiness")
    w.say(w.words.readiness(readiness.text if readiness.value is not None else None, w.d))
    lists(w, section)


def action_plan(w: Writer, section: SectionView) -> None:
    """Every action, open ones first by due date, each with its owner, date and status; overdue in red."""
    if w.missing(section):
        return
    figure = w.view.figure
    w.say(w.words.action_counts({
        "open": figure("actions_open").text, "overdue": figure("actions_overdue").text,
        "blocked": figure("actions_blocked").text, "due_soon": figure("actions_due_soon").text,
        "due_soon_label": figure("actions_due_soon").label, "done": figure("actions_done").text}))
    lists(w, section)


def with_own_fields(write: Callable[..., None]) -> Callable[..., None]:
    """A built-in section's writer, followed by the fields a kit adds to the section as `label: value` (the
    generic writer and the five components' write every field already)."""
    if write in (generic, components):
        return write

    def written(w: Writer, section: SectionView) -> None:
        write(w, section)
        if not section.missing:
            for item in section.fields:
                if item.name not in schema.FIELDS:
                    w.field_line(item)
    return written


SECTION_WRITERS: dict[str, tuple[str | None, Callable[..., None]]] = {
    "Account": ("overview", overview),
    "Customer agenda": (None, agenda),             # under the overview's heading, as a Heading 2
    "Path to the number": ("path", path_to_number),
    "Objective": ("objective", objective),
    "Relationships": ("relationships", relationships),
    "Five components": ("components", components),
    "Competition": ("competition", lists),
    "Whitespace": ("whitespace", whitespace),
    "Pressure test": ("pressure", pressure_test),
    "Risks": ("risks", lists),
    "Action plan": ("actions", action_plan),
    "Account team": ("team", lists),
    "Relationship health": ("health", lists),
    "Review log": ("reviews", lists),
}
"""Each section the document knows by name: the key of its Heading 1 in the template's `headings` (None: it
goes on under the previous heading) and what writes its body. A section not named here (a kit's own) is headed
by its name and written by `generic`."""


def _property(text: str) -> str:
    """A core property as Word allows it: clean, at most 255 characters."""
    text = clean(text)
    return text if len(text) <= 255 else text[:254] + "…"
