"""The Word plan document: opened after writing and checked against the plan and its figures."""
from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import docx
import jinja2
import pytest
from conftest import AS_OF, harbor_data, needs_libreoffice
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from outputs import deck_text, render_output, written_document

from generator.render import document, docx_parts
from generator import fmt
from generator.plan import schema
from generator.assess.findings import make
from generator.kit import default_kit
from generator.assess.figures import compute
from generator.plan.model import Place, row_class, stages_of
from generator.pipeline import assess, check
from generator.view import build_view

D = dt.date
HEADINGS = ["Executive summary", "Customer overview and agenda", "Path to the number", "The objective",
            "Relationship map", "The five components", "Competition", "Whitespace", "Pressure test", "Risks",
            "Action plan", "Account team", "Relationship health", "Review log", "Appendix: Plan health"]
QUESTIONS = ["Is this the right objective?", "Do we have the relationships to win?",
             "What action moves it forward next?"]
# Where each section of the plan is written: the heading that carries its missing-section sentence.
SECTION_HEADINGS = {"Customer agenda": "Customer agenda", "Path to the number": "Path to the number",
                    "Objective": "The objective", "Relationships": "Relationship map",
                    "Five components": "The five components", "Competition": "Competition",
                    "Whitespace": "Whitespace", "Pressure test": "Pressure test", "Risks": "Risks",
                    "Action plan": "Action plan", "Account team": "Account team",
                    "Relationship health": "Relationship health", "Review log": "Review log"}
ODD = 'Zürich Ōsaka 北京 — "Müller & Söhne" <GmbH> \'quoted\''
ARABIC = "شركة الخليج للخدمات اللوجستية"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def body(doc) -> list:
    """Paragraphs and tables in reading order."""
    items = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(Paragraph(child, doc))
        elif child.tag == qn("w:tbl"):
            items.append(Table(child, doc))
    return items


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def table(doc, caption: str) -> Table:
    """The table whose alternative text is `caption`."""
    found = [t for t in doc.tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption]
    assert len(found) == 1, f"{caption}: {len(found)} tables"
    return found[0]


def rows(doc, caption: str) -> list[list[str]]:
    """The body rows of a table as text, header left out."""
    return [[cell.text for cell in row.cells] for row in table(doc, caption).rows[1:]]


def header_row(doc, caption: str) -> list[str]:
    return [cell.text for cell in table(doc, caption).rows[0].cells]


def after_heading(doc, text: str) -> list:
    """What follows the heading `text`, up to the next heading."""
    items = body(doc)
    start = next(i for i, item in enumerate(items) if isinstance(item, Paragraph) and item.text == text
                 and item.style.name.startswith("Heading"))
    following = []
    for item in items[start + 1:]:
        if isinstance(item, Paragraph) and item.style.name.startswith("Heading"):
            break
        following.append(item)
    return following


def texts_after(doc, heading: str) -> list[str]:
    return [item.text for item in after_heading(doc, heading) if isinstance(item, Paragraph) and item.text]


def fill(table_cell) -> str | None:
    """A cell's own shading (w:shd fill), None when it has none."""
    properties = table_cell._tc.tcPr
    shading = properties.find(qn("w:shd")) if properties is not None else None
    return shading.get(qn("w:fill")) if shading is not None else None


def widths(found: Table) -> list[float]:
    """The table's column widths in points."""
    return [int(col.get(qn("w:w"))) / 20 for col in found._tbl.tblGrid.iter(qn("w:gridCol"))]


def page_of(doc, found: Table):
    """The section properties of the section the table sits in (the next section break after it, or the last)."""
    for element in found._tbl.itersiblings():
        properties = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if element.tag == qn("w:p") else None
        if properties is not None:
            return properties
    return doc.element.body.find(qn("w:sectPr"))


def landscape(properties) -> bool:
    size = properties.find(qn("w:pgSz"))
    wide = int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
    assert wide == (size.get(qn("w:orient")) == "landscape")  # Word reads the size, LibreOffice the orientation
    return wide


def summary_paragraph(doc) -> str:
    return next(text for text in texts_after(doc, "Executive summary") if text.startswith("The target"))



@pytest.fixture
def exposed(make_plan):
    """Harbor with no Decision maker and the Detractor's stages left without a friendly voice."""
    data = harbor_data()
    people = data["lists"]["Stakeholders"]
    people[0]["Role"] = "Influencer"
    people[2]["Evaluation of alternatives"] = None
    people[2]["Information search"] = None
    return assess(make_plan(data), AS_OF)


@pytest.fixture
def cobalt():
    """The half-filled sample read from its workbook: text numbers, a wrong choice, a probability of 150%."""
    return check(SAMPLES / "cobalt-ridge-health.xlsx", AS_OF)


@pytest.fixture
def arabic(make_plan):
    """Harbor for an account with an Arabic name and an overview written in Arabic."""
    data = harbor_data()
    data["fields"]["account_name"] = ARABIC
    data["fields"]["customer_overview"] = "تدير الشركة ثمانية وثلاثين مستودعاً على الساحل الشرقي."
    return assess(make_plan(data), AS_OF)


@pytest.fixture
def odd(make_plan):
    """Harbor with user text Word and XML find awkward: symbols, non-Latin letters, a 300-character word."""
    data = harbor_data()
    data["fields"]["account_name"] = ODD
    data["fields"]["customer_overview"] = "First line & <second>\nSecond line\twith a tab"
    data["lists"]["Opportunities"][0]["Next step"] = "x" * 300
    data["lists"]["Stakeholders"][0]["Name"] = "Maria\x07 Okafor"   # a bell: XML cannot hold it
    return assess(make_plan(data), AS_OF)


# Structure: headings, styles, contents, header and footer ----------------------------------------

def test_headings_come_in_the_plans_order_in_word_styles(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    assert doc.paragraphs[0].style.name == "Title"
    assert doc.paragraphs[0].text == "Harbor Line Logistics"
    assert headings(doc, 1) == HEADINGS
    assert [h for h in headings(doc, 2) if h.endswith("?")] == QUESTIONS
    assert texts_after(doc, "The five components") == []  # its parts are Heading 2s
    components = [f.label for f in schema.SECTION_BY_NAME["Five components"].fields]
    assert [h for h in headings(doc, 2) if h in components] == components
    assert doc.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")) is not None  # navigation pane
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "Decision maker: Maria Okafor (Trusted advisor)." in bullets


def test_contents_field_lists_the_sections_without_asking_to_update_and_page_numbers_in_the_footer(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    codes = [c.text for c in doc.element.body.iter(qn("w:instrText"))]
    assert any(code.strip().startswith("TOC ") for code in codes)
    assert doc.settings.element.find(qn("w:updateFields")) is None  # no prompt each time Word opens it
    section = doc.sections[0]
    assert "Harbor Line Logistics" in section.header.paragraphs[0].text
    assert section.different_first_page_header_footer  # the cover goes without header and footer
    footer_codes = [c.text.strip() for c in section.footer._element.iter(qn("w:instrText"))]
    assert footer_codes == ["PAGE", "NUMPAGES"]
    cached = [p.text for p in doc.paragraphs if p.text in HEADINGS and p.style.name == "Normal"]
    assert cached == HEADINGS  # the field's shown result, until the reader updates it
    start = next(i for i, p in enumerate(doc.paragraphs) if p.style.name == "TOC Heading")
    after = [p.text for p in doc.paragraphs[start + 1:start + 1 + len(HEADINGS) + 1]]
    assert after[:len(HEADINGS)] == HEADINGS and after[-1] == ""  # no permanent hint paragraph after it


def test_core_properties_come_from_the_plan_and_the_same_bytes_every_run(harbor, tmp_path):
    doc = written_document(harbor, tmp_path, "one.docx")
    written_document(harbor, tmp_path, "two.docx")
    props = doc.core_properties
    assert props.title == "Harbor Line Logistics"
    assert props.author == "Dana Whitfield"
    assert props.subject == "Account plan · FY2027"
    assert props.keywords == "Key; Freight and logistics; North America East"  # as the checked workbook's
    assert props.last_modified_by == "accountplan"
    midnight = dt.datetime.combine(AS_OF, dt.time())
    assert {when.replace(tzinfo=None) for when in (props.created, props.modified)} == {midnight}
    assert props.last_printed is None  # never printed
    with zipfile.ZipFile(tmp_path / "one.docx") as package:
        core = package.read("docProps/core.xml")
        assert b"lastPrinted" not in core
        assert not any(b"python-docx" in package.read(name) for name in package.namelist()
                       if name.startswith("docProps/"))
        assert b"updateFields" not in package.read("word/settings.xml")
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()


# Laid out like a report: tables, pages, headings --------------------------------------------------

def test_no_row_splits_across_pages_and_each_header_row_repeats(many_opportunities, tmp_path):
    doc = written_document(many_opportunities, tmp_path)
    for found in doc.tables:
        rows_xml = found._tbl.tr_lst
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows_xml)
        assert rows_xml[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in rows_xml[1:])


def test_headings_and_what_introduces_a_table_keep_with_what_follows(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    for name in ("Heading 1", "Heading 2", "TOC Heading"):
        assert doc.styles[name].paragraph_format.keep_with_next, name
    for found in doc.tables:
        before = found._tbl.getprevious()
        assert before.tag == qn("w:p")
        assert Paragraph(before, doc).paragraph_format.keep_with_next  # a caption never ends a page alone
        header = found.rows[0].cells[0].paragraphs[0]
        assert header.paragraph_format.keep_with_next   # nor a header row without a row under it


def test_money_and_shares_line_up_on_the_right(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    for caption, header in (("Opportunities", "Value"), ("Opportunities", "Probability"),
                            ("Whitespace", "Estimated value"), ("Objective", "Value"), ("Figures", "Value")):
        column = header_row(doc, caption).index(header)
        for row in table(doc, caption).rows:
            assert row.cells[column].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT, (caption, header)
    first = table(doc, "Opportunities").rows[1].cells
    assert first[0].paragraphs[0].alignment is None  # text keeps the style's alignment


def test_tables_have_a_header_band_zebra_rows_and_light_rules(harbor, tmp_path):
    brand = default_kit().brand
    doc = written_document(harbor, tmp_path)
    found = table(doc, "Opportunities")
    assert found.style.name == "Plan Table"
    assert {fill(c) for c in found.rows[0].cells} == {brand.primary}
    for c in found.rows[0].cells:
        run = c.paragraphs[0].runs[0]
        assert run.bold and str(run.font.color.rgb) == "FFFFFF"
    assert [fill(row.cells[0]) for row in found.rows[1:]] == [None, brand.light, None, brand.light, None]
    borders = found._tbl.tblPr.find(qn("w:tblBorders"))
    assert {side: borders.find(qn(f"w:{side}")).get(qn("w:val")) for side in ("top", "left", "right", "insideV")} \
        == dict.fromkeys(("top", "left", "right", "insideV"), "nil")   # no grid
    rule = borders.find(qn("w:insideH"))
    assert rule.get(qn("w:val")) == "single" and rule.get(qn("w:color")) not in ("auto", "000000")
    assert "Table Grid" not in [t.style.name for t in doc.tables]


def test_column_widths_come_from_what_the_columns_hold(many_opportunities, tmp_path):
    doc = written_document(many_opportunities, tmp_path)
    found, head, shown = table(doc, "Opportunities"), header_row(doc, "Opportunities"), rows(doc, "Opportunities")
    width = widths(found)
    padding = 2 * docx_parts.CELL_MARGIN_PT
    for header in ("Stage", "Value", "Probability", "Close date"):  # never wrap: as wide as the widest value
        column = head.index(header)
        widest = max(docx_parts.text_pt(row[column]) for row in shown)
        assert width[column] >= widest + padding, header
    money = head.index("Value")
    assert width[money] >= docx_parts.text_pt(fmt.money(400_000, "USD")) + padding
    next_step = head.index("Next step")
    assert width[next_step] == pytest.approx(max(width))             # the long free text gets the most room
    assert width[next_step] > 3 * width[money]
    assert sum(width) == pytest.approx(docx_parts.page_width(landscape=True), abs=1)


def test_a_short_value_column_is_not_stretched_while_text_is_squeezed(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    head, width = header_row(doc, "Actions"), widths(table(doc, "Actions"))
    due = head.index("Due date")
    assert width[due] < width[head.index("Action")] / 2
    assert sum(width) == pytest.approx(docx_parts.page_width(landscape=False), abs=1)


def test_wide_tables_get_landscape_pages_and_the_rest_stays_portrait(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    assert landscape(page_of(doc, table(doc, "Stakeholders")))       # name, role, relationship and five stages
    assert landscape(page_of(doc, table(doc, "Opportunities")))      # eight columns with a next step
    assert landscape(page_of(doc, table(doc, "Objective")))          # a short part between those two goes along
    for caption in ("Cover", "CustomerPriorities", "Risks", "Actions", "Completeness"):
        assert not landscape(page_of(doc, table(doc, caption))), caption
    assert not landscape(doc.element.body.find(qn("w:sectPr")))     # back to portrait at the end
    assert doc.sections[-1].orientation == WD_ORIENT.PORTRAIT
    assert all(section.header.is_linked_to_previous for section in doc.sections[1:])  # one header throughout
    stakeholders = sum(widths(table(doc, "Stakeholders")))
    assert docx_parts.page_width(landscape=False) < stakeholders <= docx_parts.page_width(landscape=True) + 1
    assert headings(doc, 1) == HEADINGS  # nothing written twice or lost on the way


def test_a_value_the_plan_cannot_use_is_red_bold_and_marked(cobalt, tmp_path):
    doc = written_document(cobalt, tmp_path)
    brand = default_kit().brand
    head = header_row(doc, "Opportunities")
    marked = {row.cells[0].text: row.cells[head.index(header)] for row in table(doc, "Opportunities").rows[1:]
              for header in ("Stage", "Probability") if row.cells[head.index(header)].text.startswith("⚠ ")}
    assert set(marked) == {"Three-hospital rollout", "Telehealth add-on"}  # 'Won' and 150%, both errors
    for shown in marked.values():
        run = shown.paragraphs[0].runs[0]
        assert run.bold and str(run.font.color.rgb) == brand.bad


# Text in any script ----------------------------------------------------------------------------

def test_styles_and_theme_name_fonts_for_east_asian_and_complex_scripts(harbor, tmp_path):
    brand = default_kit().brand
    doc = written_document(harbor, tmp_path)
    run_defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = [run_defaults.find(qn("w:rFonts"))]
    fonts += [doc.styles[name].element.rPr.rFonts for name in ("Normal", "Title", "Heading 1", "Heading 2")]
    for named in fonts:
        assert named.get(qn("w:eastAsia")) == brand.ea_font and named.get(qn("w:cs")) == brand.cs_font
        assert not {qn("w:eastAsiaTheme"), qn("w:cstheme"), qn("w:asciiTheme")} & set(named.attrib)
    language = run_defaults.find(qn("w:lang"))
    assert (language.get(qn("w:eastAsia")), language.get(qn("w:bidi"))) == ("ja-JP", "ar-SA")
    with zipfile.ZipFile(tmp_path / "plan.docx") as package:
        theme = package.read("word/theme/theme1.xml").decode()
    assert theme.count(f'<a:ea typeface="{brand.ea_font}"/>') == 2     # headings and body
    assert theme.count(f'<a:cs typeface="{brand.cs_font}"/>') == 2


def test_a_kits_brand_names_its_own_script_fonts(harbor, tmp_path):
    kit = default_kit()
    kit = dataclasses.replace(kit, brand=dataclasses.replace(kit.brand, ea_font="Noto Sans JP", cs_font="Tahoma"))
    render_output(document, harbor, tmp_path / "plan.docx", kit)
    doc = docx.Document(str(tmp_path / "plan.docx"))
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert (normal.get(qn("w:eastAsia")), normal.get(qn("w:cs"))) == ("Noto Sans JP", "Tahoma")


def test_right_to_left_text_is_marked_for_word(arabic, tmp_path):
    doc = written_document(arabic, tmp_path)
    title = doc.paragraphs[0]
    assert title.text == ARABIC and title.style.name == "Title"
    assert title._p.pPr.find(qn("w:bidi")) is not None
    assert all(run._r.rPr.find(qn("w:rtl")) is not None for run in title.runs)
    overview = next(p for p in after_heading(doc, "Customer overview") if isinstance(p, Paragraph))
    assert overview._p.pPr.find(qn("w:bidi")) is not None
    standing = next(p for p in after_heading(doc, "Executive summary") if isinstance(p, Paragraph))
    assert standing.text.startswith(ARABIC + " is a Key account")
    assert standing._p.pPr is None or standing._p.pPr.find(qn("w:bidi")) is None  # an English sentence
    rtl = [run.text for run in standing.runs if run._r.rPr is not None and run._r.rPr.find(qn("w:rtl")) is not None]
    assert rtl == [ARABIC]                                            # the name alone reads right to left
    english = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert all(p._p.pPr.find(qn("w:bidi")) is None for p in english)


def test_direction_follows_the_first_strong_letter():
    assert fmt.right_to_left(ARABIC) and fmt.right_to_left("  123 " + ARABIC + " Ltd")
    assert not fmt.right_to_left("Harbor " + ARABIC) and not fmt.right_to_left("港湾物流")
    assert not fmt.right_to_left("$1,200")


# Tables against the plan -----------------------------------------------------------------------

def test_opportunity_rows_carry_the_plan_and_the_figures(overdue, tmp_path):
    doc = written_document(overdue, tmp_path)
    plan, figures = overdue.plan, overdue.figures
    assert header_row(doc, "Opportunities") == [c.header for c in schema.LISTS["Opportunities"].columns]
    found = rows(doc, "Opportunities")
    assert len(found) == len(plan.opportunities)
    for i, (row, opp) in enumerate(zip(found, plan.opportunities)):
        close = fmt.date(opp.close_date) + (" · passed" if i in figures.past_close else "")
        assert row == [opp.opportunity, opp.offering, opp.stage, fmt.money(opp.value, "USD"),
                       fmt.share(figures.probabilities[i]), close, opp.owner, opp.next_step]
    assert found[2][4] == "40%"  # the stage default where the plan left it blank
    assert [r[0] for r in found if r[5].endswith("passed")] == ["Tracking portal"]


def test_figures_table_reads_like_the_figures(harbor, tmp_path):
    figures = dict(rows(written_document(harbor, tmp_path), "Figures"))
    f = harbor.figures
    assert figures["Annual target"] == fmt.money(f.annual_target, "USD") == "$2,400,000"
    assert figures["Gap to target"] == fmt.money(f.gap_to_target, "USD") == "$1,450,000"
    assert figures["Weighted open"] == fmt.money(f.weighted_open, "USD")
    assert figures["Pipeline coverage"] == fmt.times(f.pipeline_coverage)
    assert figures["Growth vs prior year"] == fmt.signed_share(f.growth_vs_prior)


def test_stakeholder_map_marks_each_persons_stages(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    order = {role: i for i, role in enumerate(schema.ROLES)}
    people = sorted(harbor.plan.stakeholders, key=lambda s: order[s.role])
    found = rows(doc, "Stakeholders")
    assert header_row(doc, "Stakeholders")[3:] == list(schema.BUYING_STAGES)
    assert len(found) == len(people)
    for row, person in zip(found, people):
        assert row[0] == f"{person.name}, {person.title}, {person.department}"
        assert row[1:3] == [person.role, person.relationship]
        assert [stage for stage, mark in zip(schema.BUYING_STAGES, row[3:]) if mark == "✓"] == stages_of(person)
        assert all(mark in ("✓", "") for mark in row[3:])
    drivers = rows(doc, "Stakeholder drivers")
    assert [r[:2] for r in drivers] == [[p.name, p.personal_drivers] for p in people]


def test_exposed_stages_and_a_missing_decision_maker_are_named(exposed, tmp_path):
    doc = written_document(exposed, tmp_path)
    stages = exposed.figures.exposed_stages
    assert stages  # the fixture does what it says
    said = texts_after(doc, "Stakeholders and buying stages")
    assert any(t.startswith("Exposed stages: " + ", ".join(stages) + ".") for t in said)
    assert "No stakeholder has the role Decision maker." in said
    header = table(doc, "Stakeholders").rows[0].cells
    red = [c.text for c in header if c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == default_kit().brand.bad]
    assert red == stages
    answers = texts_after(doc, "Do we have the relationships to win?")
    assert "Missing: no Decision maker among the stakeholders." in answers


def test_every_action_has_its_owner_date_and_status_and_overdue_is_marked(overdue, tmp_path):
    doc = written_document(overdue, tmp_path)
    found = rows(doc, "Actions")
    actions, f = overdue.plan.actions, overdue.figures
    assert len(found) == len(actions)
    assert [r[0] for r in found[:len(f.open_actions)]] == [actions[i].action for i in f.open_actions]
    by_action = {r[0]: dict(zip([c.header for c in schema.LISTS["Actions"].columns], r)) for r in found}
    assert by_action["Invite Greg Hollis to the design authority"]["Due date"] == "10 Nov 2026 · overdue"
    assert by_action["Present the total cost study to Tom Baxter"]["Status"] == "Blocked"
    assert by_action["Executive dinner with Maria Okafor and our COO"]["Owner"] == "No owner"
    assert by_action["Renewal order form countersigned"]["Status"] == "Done"
    for action in actions:
        row = by_action[action.action]
        assert row["Status"] == (action.status or "Not started")
        if action.owner:
            assert row["Owner"] == action.owner
        assert row["Due date"].startswith(fmt.date(action.due_date))
    counts = texts_after(doc, "Action plan")[0]
    assert counts.startswith(f"{f.actions.open} open ({f.actions.overdue} overdue, {f.actions.blocked} blocked")


def test_list_sections_show_every_row(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    plan = harbor.plan
    assert [r[0] for r in rows(doc, "CustomerPriorities")] == [p.priority for p in plan.priorities]
    assert [r[0] for r in rows(doc, "Competitors")] == [c.competitor for c in plan.competitors]
    assert sorted(r[0] for r in rows(doc, "Whitespace")) == sorted(w.offering for w in plan.whitespace)
    assert [r[:2] for r in rows(doc, "PressureTest")] == [[q.question, q.answer] for q in plan.pressure_test]
    assert [r[1] for r in rows(doc, "Risks")] == ["High", "Medium"]  # high impact first
    assert [r[:2] for r in rows(doc, "AccountTeam")] == [[m.role, m.name] for m in plan.team]
    assert [r[0] for r in rows(doc, "HealthSignals")] == [s.signal for s in plan.health_signals]
    assert [r[0] for r in rows(doc, "Reviews")] == [fmt.date(r.date) for r in plan.reviews]
    objective = dict(zip(header_row(doc, "Objective"), rows(doc, "Objective")[0]))
    assert objective == {"Value": "$600,000", "Decision date": "31 Mar 2027", "Sponsor": "Maria Okafor"}
    assert texts_after(doc, "The objective")[-1].startswith("Why now: The licences")
    assert texts_after(doc, "Drivers") == [plan.value("drivers")]


# The summary: the same figures as the deck -----------------------------------------------------

def test_summary_paragraph_quotes_every_figure_of_the_path(harbor, tmp_path):
    doc = written_document(harbor, tmp_path)
    text = summary_paragraph(doc)
    f = harbor.figures
    for figure in (f.annual_target, f.secured, f.gap_to_target, f.weighted_open, f.uncovered_gap):
        assert fmt.money(figure, "USD") in text
    assert fmt.times(f.pipeline_coverage) in text
    assert fmt.signed_share(f.growth_vs_prior) in text
    first = harbor.plan.actions[f.next_action]
    assert texts_after(doc, QUESTIONS[2]) == [first.action, f"Owner: {first.owner}",
                                              f"Due: {fmt.date(first.due_date)}", f"Status: {first.status}"]


def test_summary_figures_are_the_decks(harbor, tmp_path):
    if not (Path(document.__file__).parent / "deck.py").exists():
        pytest.skip("generator/deck.py is not written yet")
    from generator.render import deck as deck_module

    render_output(document, harbor, tmp_path / "plan.docx")
    render_output(deck_module, harbor, tmp_path / "review.pptx")
    summary = summary_paragraph(docx.Document(str(tmp_path / "plan.docx")))
    deck = deck_text(tmp_path / "review.pptx")
    f = harbor.figures
    for figure in (f.gap_to_target, f.secured, f.annual_target):
        shown = fmt.money(figure, f.currency)
        assert shown in summary and shown in deck, shown


# Blank sections, odd text, findings ----------------------------------------------------------

def test_a_missing_section_keeps_its_heading_and_says_so(sparse, tmp_path):
    doc = written_document(sparse, tmp_path)
    assert headings(doc, 1) == HEADINGS
    missing = sparse.figures.completeness.missing
    assert set(missing) == set(SECTION_HEADINGS)  # the fixture leaves every list section blank
    for section in missing:
        said = texts_after(doc, SECTION_HEADINGS[section])
        sheet = schema.SECTION_BY_NAME[section].sheet
        assert said == [f"The {section} section is missing in the plan: nothing is filled in on the '{sheet}' "
                        "sheet of the workbook yet."], section
    assert texts_after(doc, QUESTIONS[0]) == ["Missing: the plan names no objective."]
    assert texts_after(doc, QUESTIONS[2]) == ["Missing: the plan has no open action."]
    assert "The plan sets no annual target" in texts_after(doc, "Executive summary")[2]


def test_user_text_comes_through_intact(odd, tmp_path):
    doc = written_document(odd, tmp_path)
    assert doc.paragraphs[0].text == ODD
    assert doc.core_properties.title == ODD
    assert ODD in doc.sections[0].header.paragraphs[0].text
    assert texts_after(doc, "Customer overview") == ["First line & <second>\nSecond line\twith a tab"]
    assert rows(doc, "Opportunities")[0][7] == "x" * 300
    assert rows(doc, "Stakeholders")[0][0].startswith("Maria Okafor,")  # only the bell is gone
    assert texts_after(doc, "Executive summary")[0].startswith(ODD + " is a Key account")


def test_the_wording_refuses_a_name_the_renderer_does_not_pass():
    with pytest.raises(jinja2.UndefinedError):
        document.paragraphs(document.wording(default_kit().document_templates).path_summary({}))


def test_clean_removes_only_what_xml_cannot_hold():
    assert document.clean("a\x00b\x0bc\x1fd\ufffe") == "abcd"
    assert document.clean("tab\tline\nline\r\nend") == "tab\tline\nline\nend"
    assert document.clean('€ & <b> "q" 北京 🙂') == '€ & <b> "q" 北京 🙂'


def test_appendix_lists_every_finding_with_its_sheet_and_cell(harbor, tmp_path):
    findings = [make("choice-invalid", "Path to the number", Place("Path to number", "D10"),
                     "Stage 'Won' is not one of: Secured, Forecast, Pipeline, Prospect.", "Did you mean 'Secured'?"),
                make("action-overdue", "Action plan", Place("Action plan", "D7"), "An open action is overdue.")]
    doc = written_document(dataclasses.replace(harbor, findings=findings), tmp_path)
    assert header_row(doc, "Findings") == ["Severity", "Section", "Sheet", "Cell", "Finding", "What to do"]
    assert rows(doc, "Findings") == [
        ["Error", "Path to the number", "Path to number", "D10", findings[0].message, "Did you mean 'Secured'?"],
        ["Warning", "Action plan", "Action plan", "D7", findings[1].message, fmt.NONE]]
    completeness = rows(doc, "Completeness")
    assert [r[0] for r in completeness] == [s.name for s in schema.SECTIONS]
    assert "has 2 findings" in texts_after(doc, "Executive summary")[0]


def test_forty_opportunities_fill_one_table(many_opportunities, tmp_path):
    doc = written_document(many_opportunities, tmp_path)
    found = rows(doc, "Opportunities")
    assert [r[0] for r in found] == [o.opportunity for o in many_opportunities.plan.opportunities]
    header = table(doc, "Opportunities").rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page


def test_the_file_is_a_plain_word_package(harbor, tmp_path):
    render_output(document, harbor, tmp_path / "plan.docx")
    with zipfile.ZipFile(tmp_path / "plan.docx") as package:
        assert package.testzip() is None
        assert {"word/document.xml", "word/settings.xml", "docProps/core.xml"} <= set(package.namelist())


# LibreOffice ------------------------------------------------------------------------------------

@needs_libreoffice
def test_libreoffice_converts_the_document_to_pdf(odd, sparse, arabic, many_opportunities, tmp_path, soffice):
    plans = {"odd": odd, "sparse": sparse, "arabic": arabic, "many": many_opportunities}
    paths = [tmp_path / f"{name}.docx" for name in plans]
    for path, result in zip(paths, plans.values()):
        render_output(document, result, path)
    for pdf in soffice(paths, "pdf", tmp_path / "pdf"):
        assert pdf.exists() and pdf.stat().st_size > 1000
        assert pdf.read_bytes().startswith(b"%PDF")


# A kit's own section and brand ----------------------------------------------------------------

PARTNERS = schema.ListSpec("Partners", "Partner", "partners", (
    schema.Column("Partner", "partner", required=True), schema.Column("Value influenced", "value_influenced",
                                                                      schema.MONEY)))
PARTNER_PLAN = schema.Section("Partner plan", "Partners", "Which partners help us win.",
                              fields=(schema.Field("partner_strategy", "Partner strategy", schema.LONG_TEXT),),
                              lists=(PARTNERS,))


def partner_kit():
    """The built-in kit with one section of the company's own after the contract's."""
    kit = default_kit()
    return dataclasses.replace(kit, definition=dataclasses.replace(
        kit.definition, sections=(*kit.definition.sections, PARTNER_PLAN)))


def write_view(plan, kit, tmp_path, name="plan.docx"):
    """The document of `plan` in `kit`, figures counted against the kit's own definition."""
    result = assess(plan, AS_OF)
    view = build_view(plan, compute(plan, AS_OF, kit.definition), result.findings, kit)
    document.render(view, kit, tmp_path / name)
    return docx.Document(str(tmp_path / name))


def test_a_section_of_the_kits_own_gets_its_heading_fields_and_tables(make_plan, tmp_path):
    kit, plan = partner_kit(), make_plan(harbor_data())
    plan.fields["partner_strategy"] = "Co-sell with Northwind on the terminals."
    partner = row_class(PARTNERS)
    plan.lists["Partners"] = [partner(partner="Northwind Integration", value_influenced=250_000.0),
                              partner(partner="Atlas Cloud")]
    doc = write_view(plan, kit, tmp_path)
    assert headings(doc, 1) == [*HEADINGS[:-1], "Partner plan", HEADINGS[-1]]  # in the definition's order
    assert [p.text for p in doc.paragraphs if p.style.name == "Normal" and p.text in HEADINGS + ["Partner plan"]] \
        == [*HEADINGS[:-1], "Partner plan", HEADINGS[-1]]                     # and in the contents
    assert texts_after(doc, "Partner plan") == ["Partner strategy: Co-sell with Northwind on the terminals."]
    assert header_row(doc, "Partners") == ["Partner", "Value influenced"]
    assert rows(doc, "Partners") == [["Northwind Integration", "$250,000"], ["Atlas Cloud", fmt.NONE]]
    assert ["Partner plan", "100%", "Complete"] in rows(doc, "Completeness")

    plan.fields["partner_strategy"], plan.lists["Partners"] = None, []
    blank = write_view(plan, kit, tmp_path, "blank.docx")
    assert texts_after(blank, "Partner plan") == [
        "The Partner plan section is missing in the plan: nothing is filled in on the 'Partners' sheet of the "
        "workbook yet."]
    assert ["Partner plan", "0%", "Missing"] in rows(blank, "Completeness")


def test_the_kits_brand_colours_the_document(exposed, tmp_path):
    kit = default_kit()
    kit = dataclasses.replace(kit, brand=dataclasses.replace(kit.brand, bad="123456", primary="654321"))
    path = tmp_path / "plan.docx"
    render_output(document, exposed, path, kit)
    doc = docx.Document(str(path))
    fills = {c.text: c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in table(doc, "Stakeholders").rows[0].cells}
    assert [stage for stage, fill in fills.items() if fill == "123456"] == exposed.figures.exposed_stages
    assert fills["Stakeholder"] == "654321"
    assert str(doc.styles["Heading 1"].font.color.rgb) == "654321"


def test_the_wording_is_compiled_once_per_kit_folder(harbor, tmp_path):
    words = document.wording(default_kit().document_templates)
    written_document(harbor, tmp_path, "one.docx")
    written_document(harbor, tmp_path, "two.docx")
    assert document.wording(default_kit().document_templates) is words


def test_the_wording_is_compiled_once_per_template_version_and_without_a_cache_folder_too(tmp_path, monkeypatch):
    """Jinja2 keeps plan.j2's compiled code in a private folder for the next process; where it cannot have
    one, the template is compiled each time and reads the same."""
    folder = default_kit().document_templates
    assert isinstance(document.bytecode_cache(), jinja2.FileSystemBytecodeCache)
    cached = document.wording(folder)

    def refused(*args, **kwargs):
        raise RuntimeError("the cache folder is not safe")
    document.bytecode_cache.cache_clear()
    document.wording.cache_clear()
    monkeypatch.setattr(jinja2, "FileSystemBytecodeCache", refused)
    try:
        assert document.bytecode_cache() is None
        uncached = document.wording(folder)
        assert uncached is not cached and uncached.headings == cached.headings
    finally:
        document.bytecode_cache.cache_clear()
        document.wording.cache_clear()
