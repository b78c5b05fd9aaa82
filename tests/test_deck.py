"""The review deck: opened after writing and checked against the plan and its figures."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import AS_OF, harbor_data, needs_libreoffice, overdue_data
from outputs import render_output, slide_text
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from generator.render import deck
from generator import fmt
from generator.plan import schema
from generator.render.deck_parts import (
    CHAR_EM,
    ELLIPSIS,
    LINE_SPACING,
    MIN_TABLE_SIZE,
    frame_height,
    paragraph_size,
    rgb,
    shorten,
    text_height,
    wrap,
)
from generator.assess.findings import make
from generator.kit import default_kit
from generator.plan.model import Place, stages_of
from generator.pipeline import assess

D = dt.date


def write(result, tmp_path, name="deck.pptx", kit=None):
    path = tmp_path / name
    render_output(deck, result, path, kit)
    return Presentation(str(path))


def titles(prs) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]


def slide_titled(prs, title: str):
    return next(slide for slide in prs.slides if slide.shapes.title.text == title)


def shape_named(slide, name: str):
    return next(shape for shape in slide.shapes if shape.name == name)


def table_rows(slide, name: str) -> list[list[str]]:
    """The body rows of the table `name` on `slide`, as text (header left out)."""
    table = shape_named(slide, name).table
    return [[c.text for c in row.cells] for row in list(table.rows)[1:]]



@pytest.fixture
def overdue(make_plan):
    return assess(make_plan(overdue_data()), AS_OF)


# Order, footer, notes, properties --------------------------------------------------------------

def test_slides_come_in_the_fixed_order_with_footer_number_and_notes(harbor, tmp_path):
    prs = write(harbor, tmp_path)
    assert titles(prs) == list(deck.BASE_TITLES)
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in
    for number, slide in enumerate(prs.slides, 1):
        assert shape_named(slide, "Footer").text_frame.text == "Harbor Line Logistics · FY2027"
        assert shape_named(slide, "Slide number").text_frame.text == str(number)
        assert len(slide.notes_slide.notes_text_frame.text) > 60
    assert "Harbor Line Logistics" in slide_text(prs.slides[0])
    assert "Key" in table_rows(prs.slides[0], "Facts")[0]


def test_core_properties_come_from_the_plan_and_the_same_bytes_every_run(harbor, tmp_path):
    prs = write(harbor, tmp_path, "one.pptx")
    write(harbor, tmp_path, "two.pptx")
    props = prs.core_properties
    assert props.title == "Harbor Line Logistics"
    midnight = dt.datetime.combine(AS_OF, dt.time())
    assert props.created == props.modified == props.last_printed == midnight
    assert (tmp_path / "one.pptx").read_bytes() == (tmp_path / "two.pptx").read_bytes()


# The kit: brand and definition come in with the call -------------------------------------------

def _branded(kit, **colours):
    return dataclasses.replace(kit, brand=dataclasses.replace(kit.brand, **colours))


def _look(prs) -> dict:
    """The brand as the written deck shows it: title colour, rule colour, table header fill, body font."""
    title = prs.slides[0].shapes.title.text_frame.paragraphs[0].runs[0].font
    rule = shape_named(prs.slides[0], "Title rule").line.color.rgb
    table = shape_named(slide_titled(prs, "Opportunities"), "Opportunities").table
    header = table.cell(0, 0).fill.fore_color.rgb
    body = table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.name
    return {"title": title.color.rgb, "rule": rule, "header": header, "font": body}


def test_two_kits_in_one_process_each_write_their_own_brand(harbor, tmp_path):
    plain = default_kit()
    bold = _branded(plain, primary="0B5394", accent="E69138", font="Arial")
    first = write(harbor, tmp_path, "plain.pptx", plain)
    other = write(harbor, tmp_path, "bold.pptx", bold)
    write(harbor, tmp_path, "plain-again.pptx", plain)
    assert _look(first) == {"title": rgb(plain.brand.primary), "rule": rgb(plain.brand.accent),
                            "header": rgb(plain.brand.primary), "font": plain.brand.font}
    assert _look(other) == {"title": rgb("0B5394"), "rule": rgb("E69138"), "header": rgb("0B5394"), "font": "Arial"}
    assert (tmp_path / "plain.pptx").read_bytes() == (tmp_path / "plain-again.pptx").read_bytes()


def test_list_headers_are_the_definitions(harbor, tmp_path):
    kit = default_kit()
    d = kit.definition

    def renamed(spec):
        if spec.table != "Opportunities":
            return spec
        return dataclasses.replace(spec, columns=tuple(dataclasses.replace(c, header="Product")
                                                       if c.attr == "offering" else c for c in spec.columns))

    sections = tuple(dataclasses.replace(s, lists=tuple(map(renamed, s.lists))) for s in d.sections)
    own = dataclasses.replace(kit, definition=dataclasses.replace(d, sections=sections))
    for name, used in (("default.pptx", kit), ("own.pptx", own)):
        table = shape_named(slide_titled(write(harbor, tmp_path, name, used), "Opportunities"), "Opportunities").table
        assert [c.text for c in table.rows[0].cells] == \
            [c.header for c in used.definition.lists["Opportunities"].columns]
    assert "Product" in [c.header for c in own.definition.lists["Opportunities"].columns]


# Tables against the plan -----------------------------------------------------------------------

def test_opportunity_rows_carry_the_plan_and_the_figures(harbor, tmp_path):
    rows = table_rows(slide_titled(write(harbor, tmp_path), "Opportunities"), "Opportunities")
    plan, figures = harbor.plan, harbor.figures
    assert len(rows) == len(plan.opportunities)
    for row, opp, probability in zip(rows, plan.opportunities, figures.probabilities):
        assert row[:6] == [opp.opportunity, opp.offering, opp.stage, fmt.money(opp.value, "USD"),
                           fmt.share(probability), fmt.date(opp.close_date)]
        assert row[6:] == [opp.owner, opp.next_step]
    assert rows[2][4] == "40%"  # the stage default where the plan left it blank


def test_relationship_map_lists_stakeholders_by_role_and_marks_their_stages(harbor, tmp_path):
    slide = slide_titled(write(harbor, tmp_path), "Relationship map")
    rows = table_rows(slide, "Relationship map")
    order = {role: i for i, role in enumerate(schema.ROLES)}
    people = sorted(harbor.plan.stakeholders, key=lambda s: order[s.role])
    assert [r[1] for r in rows] == [s.role for s in people]
    for row, person in zip(rows, people):
        assert row[0] == f"{person.name}, {person.title}"
        assert row[2] == person.relationship
        marked = [stage for stage, text in zip(schema.BUYING_STAGES, row[3:]) if text]
        assert marked == stages_of(person)
    assert "Decision maker: Maria Okafor (Trusted advisor)" in slide_text(slide)


def test_missing_decision_maker_and_exposed_stage_are_called_out(make_plan, tmp_path):
    data = harbor_data()
    people = data["lists"]["Stakeholders"]
    people[0]["Role"] = "Influencer"          # no Decision maker left
    people[2]["Evaluation of alternatives"] = None  # Kenji no longer covers the Detractor's stages
    people[2]["Information search"] = None
    result = assess(make_plan(data), AS_OF)
    assert result.figures.exposed_stages  # the fixture does what it says
    slide = slide_titled(write(result, tmp_path), "Relationship map")
    callout = shape_named(slide, "Summary").text_frame.text
    assert "No Decision maker among the stakeholders" in callout
    assert "Exposed: " + ", ".join(result.figures.exposed_stages) in callout
    header = shape_named(slide, "Relationship map").table.rows[0].cells
    exposed = [c.text for c in header if c.fill.fore_color.rgb == rgb(default_kit().brand.bad)]
    assert exposed == result.figures.exposed_stages


def test_action_plan_lists_open_actions_by_date_marking_overdue_and_blocked(overdue, tmp_path):
    rows = table_rows(slide_titled(write(overdue, tmp_path), "Action plan"), "Action plan")
    actions = overdue.plan.actions
    assert [r[1] for r in rows] == [actions[i].action for i in overdue.figures.open_actions]
    by_action = {r[1]: r for r in rows}
    assert by_action["Invite Greg Hollis to the design authority"][0] == "10 Nov 2026 · overdue"
    assert by_action["Present the total cost study to Tom Baxter"][3] == "Blocked"
    assert by_action["Agree proof-of-value success criteria with Kenji Mori"][0] == "4 Dec 2026"
    assert all(r[2] and r[0] for r in rows)  # owner and date on every line
    assert "Renewal order form countersigned" not in by_action  # done


def test_past_close_opportunity_is_marked(overdue, tmp_path):
    rows = table_rows(slide_titled(write(overdue, tmp_path), "Opportunities"), "Opportunities")
    marked = [r[0] for r in rows if r[5].endswith("· passed")]
    assert marked == ["Tracking portal"]


def test_risks_put_high_impact_first(make_plan, tmp_path):
    data = harbor_data()
    data["lists"]["Risks"].reverse()
    rows = table_rows(slide_titled(write(assess(make_plan(data), AS_OF), tmp_path), "Risks"), "Risks")
    assert [r[1] for r in rows] == ["High", "Medium"]


# The chart -------------------------------------------------------------------------------------

def test_waterfall_series_carry_the_figures_and_the_data_is_editable(harbor, tmp_path):
    slide = slide_titled(write(harbor, tmp_path), "Path to the number")
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert tuple(chart.plots[0].categories) == deck.WATERFALL
    values = {s.name: [v for v in s.values if v is not None] for s in chart.plots[0].series}
    f = harbor.figures
    assert values["Secured"] == [f.secured] == [950_000]
    assert values["Forecast"] == [f.forecast]
    assert values["Pipeline"] == [f.pipeline]
    assert values["Prospect"] == [f.prospect]
    assert values["Gap to target"] == [f.gap_to_target] == [1_450_000]
    assert values["Target"] == [f.annual_target]
    assert chart.part.chart_workbook.xlsx_part is not None  # a manager can edit the data in PowerPoint
    key = dict(table_rows(slide, "Key figures"))
    assert key["Gap to target"] == fmt.money(f.gap_to_target, "USD")
    assert key["Pipeline coverage"] == fmt.times(f.pipeline_coverage)
    assert key["Growth vs prior year"] == fmt.signed_share(f.growth_vs_prior)


# Long lists and blank sections -----------------------------------------------------------------

def test_forty_opportunities_continue_on_numbered_slides(many_opportunities, tmp_path):
    prs = write(many_opportunities, tmp_path)
    pages = [s for s in prs.slides if s.shapes.title.text.startswith("Opportunities")]
    assert len(pages) >= 2
    assert [s.shapes.title.text for s in pages] == [f"Opportunities ({i} of {len(pages)})"
                                                    for i in range(1, len(pages) + 1)]
    names = [row[0] for s in pages for row in table_rows(s, "Opportunities")]
    plan_names = [o.opportunity for o in many_opportunities.plan.opportunities]
    assert len(names) == 40
    assert all(name.endswith(ELLIPSIS) and full.startswith(name[:-1]) or name == full
               for name, full in zip(names, plan_names))
    bases = [t.split(" (")[0] for t in titles(prs)]
    assert list(dict.fromkeys(bases)) == list(deck.BASE_TITLES)


def test_sparse_plan_gets_every_slide_saying_what_is_missing(sparse, tmp_path):
    prs = write(sparse, tmp_path)
    assert titles(prs) == list(deck.BASE_TITLES)
    for title, section in (("The objective", "Objective"), ("Customer agenda", "Customer agenda"),
                           ("Path to the number", "Path to the number"), ("Relationship map", "Relationships"),
                           ("Competition", "Competition"), ("Pressure test", "Pressure test"),
                           ("Risks", "Risks"), ("Action plan", "Action plan")):
        slide = slide_titled(prs, title)
        assert f"The {section} section is missing in the plan." in slide_text(slide)
    assert "No opportunities in the plan." in slide_text(slide_titled(prs, "Opportunities"))
    assert "The Whitespace section is missing" in slide_text(slide_titled(prs, "Position and whitespace"))
    team = slide_text(slide_titled(prs, "Account team and relationship health"))
    assert "The Account team section is missing" in team and "The Relationship health section is missing" in team
    health = table_rows(slide_titled(prs, "Plan health"), "Completeness")
    assert ["Competition", "0%", "Missing"] in health


# Leadership questions and plan health ----------------------------------------------------------

def test_leadership_questions_are_answered_from_the_plan(overdue, sparse, tmp_path):
    slide = slide_titled(write(overdue, tmp_path, "full.pptx"), "Three leadership questions")
    objective, relationships, action = (shape_named(slide, f"Question {i}").text_frame.text for i in (1, 2, 3))
    assert "Worth $600,000 against a gap to target of $1,450,000." in objective
    assert "Why now: The licences" in objective
    assert "Decision maker: Maria Okafor (Trusted advisor)." in relationships
    assert "No buying stage is exposed" in relationships
    first = overdue.plan.actions[overdue.figures.next_action]
    assert first.action in action and f"Owner: {first.owner}" in action
    assert "Due: 10 Nov 2026 (overdue)" in action
    blank = slide_titled(write(sparse, tmp_path, "sparse.pptx"), "Three leadership questions")
    text = slide_text(blank)
    assert "Missing: the plan names no objective." in text
    assert "Missing: the plan lists no stakeholders." in text
    assert "Missing: the plan has no open action." in text


def test_plan_health_shows_completeness_and_findings_with_their_cells(harbor, tmp_path):
    findings = [make("opportunity-past-close", "Path to the number", Place("Path to number", "F9"),
                     "'Tracking portal' closed on 30 Jun 2026 and is not Secured")] + [
        make("action-overdue", "Action plan", Place("Action plan", f"D{row}"), f"Action {row} is overdue")
        for row in range(5, 45)]
    result = dataclasses.replace(harbor, findings=findings)
    slide = slide_titled(write(result, tmp_path), "Plan health")
    rows = table_rows(slide, "Findings")
    assert rows[0] == ["Warning", "Path to number!F9", "'Tracking portal' closed on 30 Jun 2026 and is not Secured"]
    assert f"{len(findings) - len(rows)} more findings" in shape_named(slide, "Note").text_frame.text
    sections = table_rows(slide, "Completeness")
    assert [r[0] for r in sections] == [s.name for s in schema.SECTIONS]


# Fit: every text frame and table row, inside the slide -----------------------------------------

def test_estimator_wraps_and_shortens_with_an_ellipsis():
    width, size = 100.0, 10.0  # 18 characters a line
    assert wrap("one two three four five six", width, size) == ["one two three four", "five six"]
    assert text_height("short", width, size) == pytest.approx(LINE_SPACING * size)
    cut = shorten("word " * 40, width, size, 2)
    assert cut.endswith(ELLIPSIS) and len(wrap(cut, width, size)) == 2
    assert shorten("fits fine", width, size, 1) == "fits fine"
    assert int(width / (CHAR_EM * size)) == 18


@pytest.mark.parametrize("fixture", ["harbor", "sparse", "many_opportunities", "overdue"])
def test_every_text_fits_its_box_and_every_shape_the_slide(fixture, request, tmp_path):
    prs = write(request.getfixturevalue(fixture), tmp_path)
    for slide in prs.slides:
        where = slide.shapes.title.text
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (where, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (where, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (where, shape.name)
            if shape.has_text_frame and shape.text_frame.text:
                need = frame_height(shape.text_frame, Emu(shape.width).pt)
                assert need <= Emu(shape.height).pt + 0.01, (where, shape.name, shape.text_frame.text)
            if shape.has_table:
                _assert_table_fits(shape, where)


def _assert_table_fits(shape, where: str) -> None:
    table = shape.table
    assert sum(row.height for row in table.rows) <= shape.height + 12700
    for row in table.rows:
        for column, cell in zip(table.columns, row.cells):
            room = Emu(row.height - cell.margin_top - cell.margin_bottom).pt
            frame = cell.text_frame
            inner = Emu(column.width - cell.margin_left - cell.margin_right).pt
            height = sum(text_height(p.text, inner, paragraph_size(p)) for p in frame.paragraphs)
            assert height <= room + 0.01, (where, shape.name, cell.text)
            assert all(paragraph_size(p) >= MIN_TABLE_SIZE for p in frame.paragraphs), (where, cell.text)


# It opens ----------------------------------------------------------------------------------------

@needs_libreoffice
def test_libreoffice_renders_the_deck_to_pdf(harbor, tmp_path, soffice):
    path = tmp_path / "deck.pptx"
    render_output(deck, harbor, path)
    pdf, = soffice(path, "pdf", tmp_path / "pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == len(deck.BASE_TITLES)


@pytest.fixture
def everything_long(make_plan):
    """Thirty rows in every list and long text everywhere: each table must continue, nothing overflow."""
    data = harbor_data()
    words = "An unusually long entry that a rep pasted from an email, " * 6
    for field in ("objective_title", "objective_description", "objective_why_now", "account_name",
                  "objective_sponsor", "industry", "region"):
        data["fields"][field] = words
    data["fields"]["annual_target"] = None
    for table, rows in data["lists"].items():
        spec = schema.LISTS[table]
        long_rows = []
        for i in range(30):
            row = dict(rows[i % len(rows)])
            for column in spec.columns:
                if column.kind in (schema.TEXT, schema.LONG_TEXT) and column.header in row:
                    row[column.header] = f"{i} {words}"
            long_rows.append(row)
        data["lists"][table] = long_rows
    return assess(make_plan(data), AS_OF)


def test_long_lists_continue_and_long_text_is_shortened(everything_long, tmp_path):
    prs = write(everything_long, tmp_path)
    for base in ("Customer agenda", "Opportunities", "Relationship map", "Competition", "Risks", "Action plan",
                 "Account team and relationship health", "Position and whitespace"):
        assert f"{base} (2 of " in "\n".join(titles(prs)), base
    rows = [r for s in prs.slides if s.shapes.title.text.startswith("Risks") for r in table_rows(s, "Risks")]
    assert len(rows) == 30 and all(r[0].endswith(ELLIPSIS) for r in rows)
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                assert frame_height(shape.text_frame, Emu(shape.width).pt) <= Emu(shape.height).pt + 0.01
            if shape.has_table:
                _assert_table_fits(shape, slide.shapes.title.text)
            assert shape.top + shape.height <= prs.slide_height
    chart = next(sh.chart for sh in slide_titled(prs, "Path to the number").shapes if sh.has_chart)
    gap = next(s for s in chart.plots[0].series if s.name == "Gap to target")
    assert all(v is None for v in gap.values)  # no target in the plan: no gap to draw
