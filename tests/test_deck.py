"""The review deck: opened after writing and checked against the plan, its figures and its view."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import AS_OF, harbor_data, needs_libreoffice
from outputs import render_output, slide_text, written_deck
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
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
from generator.pipeline import assess, check
from generator.view import build_view
from conftest import many_opportunities_data, sparse_data

D = dt.date


def titles(prs) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]


def topic(slide) -> str:
    """The slide's topic, the small kicker above the title that states its point."""
    return shape_named(slide, "Topic").text_frame.text


def topics(prs) -> list[str]:
    return [topic(slide) for slide in prs.slides]


def slide_titled(prs, about: str):
    """The slide about `about` (its topic; the first of a list continued on more slides)."""
    return next(slide for slide in prs.slides if topic(slide).split(" (")[0] == about)


def slides_about(prs, about: str) -> list:
    return [slide for slide in prs.slides if topic(slide).split(" (")[0] == about]


def view_of(result, kit=None):
    return build_view(result.plan, result.figures, result.findings, kit or default_kit())


def shape_named(slide, name: str):
    return next(shape for shape in slide.shapes if shape.name == name)


def table_rows(slide, name: str) -> list[list[str]]:
    """The body rows of the table `name` on `slide`, as text (header left out)."""
    table = shape_named(slide, name).table
    return [[c.text for c in row.cells] for row in list(table.rows)[1:]]



# Order, footer, notes, properties --------------------------------------------------------------

def test_slides_come_in_the_fixed_order_with_footer_number_and_notes(harbor, tmp_path):
    prs = written_deck(harbor, tmp_path)
    complete = [t for t in deck.BASE_TITLES if t != "Not ready for review"]  # every section is filled
    assert topics(prs) == complete
    view = view_of(harbor)
    assert titles(prs)[0] == "Harbor Line Logistics"
    assert titles(prs)[1:] == [view.headlines[key] for key in (
        "summary", "objective", "agenda", "path", "opportunities", "relationships", "position", "competition",
        "pressure_test", "risks", "actions", "team", "answers", "health")]      # titles state the point
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in
    for number, slide in enumerate(prs.slides, 1):
        assert shape_named(slide, "Footer").text_frame.text == "Harbor Line Logistics · FY2027"
        assert shape_named(slide, "Slide number").text_frame.text == str(number)
        assert len(slide.notes_slide.notes_text_frame.text) > 60
    assert "Harbor Line Logistics" in slide_text(prs.slides[0])
    assert "Key" in table_rows(prs.slides[0], "Facts")[0]


def test_core_properties_come_from_the_plan_and_the_same_bytes_every_run(harbor, tmp_path):
    prs = written_deck(harbor, tmp_path, "one.pptx")
    written_deck(harbor, tmp_path, "two.pptx")
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
    first = written_deck(harbor, tmp_path, "plain.pptx", plain)
    other = written_deck(harbor, tmp_path, "bold.pptx", bold)
    written_deck(harbor, tmp_path, "plain-again.pptx", plain)
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
        table = shape_named(slide_titled(written_deck(harbor, tmp_path, name, used), "Opportunities"), "Opportunities").table
        assert [c.text for c in table.rows[0].cells] == \
            [c.header for c in used.definition.lists["Opportunities"].columns]
    assert "Product" in [c.header for c in own.definition.lists["Opportunities"].columns]


# Tables against the plan -----------------------------------------------------------------------

def test_opportunity_rows_carry_the_plan_and_the_figures(harbor, tmp_path):
    rows = table_rows(slide_titled(written_deck(harbor, tmp_path), "Opportunities"), "Opportunities")
    plan, figures = harbor.plan, harbor.figures
    *rows, total = rows
    assert total[0] == f"Total ({len(plan.opportunities)})"
    assert total[3] == fmt.money(sum(o.value for o in plan.opportunities), "USD")
    assert len(rows) == len(plan.opportunities)
    for row, opp, probability in zip(rows, plan.opportunities, figures.probabilities):
        assert row[:6] == [opp.opportunity, opp.offering, opp.stage, fmt.money(opp.value, "USD"),
                           fmt.share(probability), fmt.date(opp.close_date)]
        assert row[6:] == [opp.owner, opp.next_step]
    assert rows[2][4] == "40%"  # the stage default where the plan left it blank


def test_relationship_map_lists_stakeholders_by_role_and_marks_their_stages(harbor, tmp_path):
    slide = slide_titled(written_deck(harbor, tmp_path), "Relationship map")
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
    slide = slide_titled(written_deck(result, tmp_path), "Relationship map")
    title = slide.shapes.title.text
    assert title == view_of(result).headlines["relationships"]
    assert title == "No Decision maker; " + ", ".join(result.figures.exposed_stages) + " exposed"
    header = shape_named(slide, "Relationship map").table.rows[0].cells
    exposed = [c.text for c in header if c.fill.fore_color.rgb == rgb(default_kit().brand.bad)]
    assert exposed == result.figures.exposed_stages


def test_action_plan_lists_open_actions_by_date_marking_overdue_and_blocked(overdue, tmp_path):
    rows = table_rows(slide_titled(written_deck(overdue, tmp_path), "Action plan"), "Action plan")
    actions = overdue.plan.actions
    assert [r[1] for r in rows] == [actions[i].action for i in overdue.figures.open_actions]
    by_action = {r[1]: r for r in rows}
    assert by_action["Invite Greg Hollis to the design authority"][0] == "10 Nov 2026 · overdue"
    assert by_action["Present the total cost study to Tom Baxter"][3] == "Blocked"
    assert by_action["Agree proof-of-value success criteria with Kenji Mori"][0] == "4 Dec 2026"
    assert all(r[2] and r[0] for r in rows)  # owner and date on every line
    assert "Renewal order form countersigned" not in by_action  # done


def test_past_close_opportunity_is_marked(overdue, tmp_path):
    rows = table_rows(slide_titled(written_deck(overdue, tmp_path), "Opportunities"), "Opportunities")[:-1]
    marked = [r[0] for r in rows if r[5].endswith("· passed")]
    assert marked == ["Tracking portal"]


def test_risks_put_high_impact_first(make_plan, tmp_path):
    data = harbor_data()
    data["lists"]["Risks"].reverse()
    rows = table_rows(slide_titled(written_deck(assess(make_plan(data), AS_OF), tmp_path), "Risks"), "Risks")
    assert [r[1] for r in rows] == ["High", "Medium"]


# The chart -------------------------------------------------------------------------------------

def chart_series(slide) -> dict[str, list]:
    """The path chart's series by name, each with its values per category (None where it has none)."""
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    return {s.name: list(s.values) for s in chart.plots[0].series}


def bars(slide) -> dict[str, float]:
    """Each bar of the path chart: its category and the one value its own series gives it."""
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    categories = list(chart.plots[0].categories)
    series = list(chart.plots[0].series)
    assert series[0].name == "Base"
    found = {}
    for i, s in enumerate(series[1:]):
        values = list(s.values)
        assert [j for j, v in enumerate(values) if v is not None] == [i]   # one bar per series, its own
        assert s.name == categories[i]
        found[s.name] = values[i]
    return found


def test_waterfall_climbs_by_weighted_stage_to_the_target_and_the_data_is_editable(harbor, tmp_path):
    slide = slide_titled(written_deck(harbor, tmp_path), "Path to the number")
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    f, view = harbor.figures, view_of(harbor)
    found = bars(slide)
    assert list(found) == ["Secured", "Forecast (weighted)", "Pipeline (weighted)", "Prospect (weighted)",
                           "Uncovered gap", "Annual target"]
    assert found["Secured"] == f.secured == 950_000
    assert [found[f"{stage} (weighted)"] for stage in ("Forecast", "Pipeline", "Prospect")] == \
        pytest.approx([420_000, 140_000 + 125_000, 40_000])
    assert found["Uncovered gap"] == f.uncovered_gap == pytest.approx(725_000)
    climb = [v for name, v in found.items() if name != "Annual target"]
    assert sum(climb) == pytest.approx(found["Annual target"]) and found["Annual target"] == f.annual_target
    base = chart_series(slide)["Base"]     # each bar starts where the one before it ended
    ends = [0.0]
    for value in climb[:-1]:
        ends.append(ends[-1] + value)
    assert [b or 0.0 for b in base[:len(climb)]] == pytest.approx(ends)
    assert chart.part.chart_workbook.xlsx_part is not None  # a manager can edit the data in PowerPoint
    key = dict(table_rows(slide, "Key figures"))            # the unweighted values beside it
    assert key["Forecast"] == fmt.money(f.forecast, "USD") and key["Pipeline"] == fmt.money(f.pipeline, "USD")
    assert key["Gap to target"] == fmt.money(f.gap_to_target, "USD")
    assert key["Pipeline coverage"] == fmt.times(f.pipeline_coverage)
    assert key["Growth vs prior year"] == fmt.signed_share(f.growth_vs_prior)
    assert slide.shapes.title.text == view.headlines["path"] == "$725K uncovered; pipeline covers 1.10× the gap"


def test_waterfall_shows_the_surplus_when_the_weighted_pipeline_covers_the_gap(many_opportunities, tmp_path):
    f = many_opportunities.figures
    assert f.secured + f.weighted_open > f.annual_target and f.uncovered_gap == 0   # coverage over 1
    found = bars(slide_titled(written_deck(many_opportunities, tmp_path), "Path to the number"))
    assert "Uncovered gap" not in found
    assert found["Surplus over target"] == pytest.approx(f.secured + f.weighted_open - f.annual_target)
    climb = sum(v for name, v in found.items() if name not in ("Surplus over target", "Annual target"))
    assert climb - found["Surplus over target"] == pytest.approx(found["Annual target"])


def test_the_sample_plans_paths_add_up_to_their_targets(tmp_path):
    from generator.samples import SAMPLES
    from workbooks import write_plan

    for name, data in SAMPLES.items():
        result = check(write_plan(data(), tmp_path / name), AS_OF)
        found = bars(slide_titled(written_deck(result, tmp_path, f"{name}.pptx"), "Path to the number"))
        above = found.get("Surplus over target", 0.0)
        climb = sum(v for key, v in found.items() if key not in ("Surplus over target", "Annual target"))
        assert climb - above == pytest.approx(result.figures.annual_target), name


def test_every_bar_is_labelled_in_the_views_scaled_money_and_short_bars_above_themselves(make_plan, tmp_path):
    data = harbor_data()
    data["fields"]["annual_target"] = 30_000_000          # at this scale the prospect bar is a sliver
    result = assess(make_plan(data), AS_OF)
    view = view_of(result)
    slide = slide_titled(written_deck(result, tmp_path), "Path to the number")
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    moved = {}
    for step, s in zip(view.path, list(chart.plots[0].series)[1:]):
        label, = s._element.findall(f"{qn('c:dLbls')}/{qn('c:dLbl')}")
        assert label.find(qn("c:showVal")).get("val") == "1"
        assert label.find(qn("c:numFmt")).get("formatCode") == view.money_format_short(step.value)
        moved[step.key] = label.find(f"{qn('c:layout')}/{qn('c:manualLayout')}") is not None
    assert moved["weighted_prospect"] and moved["secured"]    # slivers at this scale: their labels sit above them
    assert not moved["uncovered_gap"] and not moved["annual_target"]
    axis = chart.value_axis.tick_labels.number_format
    assert ',,"M"' in axis and ',"K"' in axis and "#,##0" in axis   # $3M, not $3,000,000


# The summary and the not-ready slide ------------------------------------------------------------

def test_summary_follows_the_title_with_the_views_figures_risks_and_ask(overdue, tmp_path):
    prs = written_deck(overdue, tmp_path)
    view = view_of(overdue)
    slide = prs.slides[1]
    assert topic(slide) == "Summary" and slide.shapes.title.text == view.headlines["summary"]
    for key in deck.SUMMARY_FIGURES:
        figure = view.figure(key)
        shown = figure.short if figure.kind == "money" else figure.text
        assert shape_named(slide, f"Figure {key}").text_frame.text == f"{figure.label}\n{shown}"
    assert shape_named(slide, "Figure uncovered_gap").text_frame.text.endswith("$725K")
    risks = table_rows(slide, "Top risks")
    assert [r[0] for r in risks] == [r["risk"].text for r in view.list("Risks").rows[:3]]
    assert risks[0][1] == "High"
    ask = shape_named(slide, "The ask").text_frame.text
    assert view.fact("objective_title").text in ask and "31 Mar 2027" in ask
    assert overdue.plan.actions[overdue.figures.next_action].action in shape_named(slide, "Next action").text_frame.text


def test_an_empty_plan_gets_one_not_ready_slide_instead_of_a_slide_per_missing_section(sparse, tmp_path):
    prs = written_deck(sparse, tmp_path)
    assert topics(prs) == ["Account review", "Summary", "Not ready for review", "Plan health"]
    slide = slide_titled(prs, "Not ready for review")
    assert slide.shapes.title.text == "Not ready for review: what is missing"
    missing = [s for s in schema.SECTIONS if s.name in sparse.figures.completeness.missing]
    assert len(missing) == len(schema.SECTIONS) - 1
    assert [r[:2] for r in table_rows(slide, "Missing sections")] == [[s.name, s.sheet] for s in missing]
    assert "section is missing" not in "\n".join(slide_text(s) for s in prs.slides)
    health = table_rows(slide_titled(prs, "Plan health"), "Completeness")
    assert ["Competition", "0%", "Missing"] in health


def test_a_half_filled_plan_keeps_the_slides_of_what_it_has(make_plan, tmp_path):
    data = harbor_data()
    for table in ("Competitors", "Risks", "AccountTeam", "HealthSignals"):
        data["lists"][table] = []
    result = assess(make_plan(data), AS_OF)
    prs = written_deck(result, tmp_path)
    shown = topics(prs)
    for gone in ("Competition", "Risks", "Account team and relationship health"):
        assert gone not in shown
    for kept in ("Not ready for review", "The objective", "Path to the number", "Opportunities",
                 "Relationship map", "Action plan", "Three leadership questions"):
        assert kept in shown
    names = [r[0] for r in table_rows(slide_titled(prs, "Not ready for review"), "Missing sections")]
    assert {"Competition", "Risks", "Account team", "Relationship health"} <= set(names)


# Long lists and blank sections -----------------------------------------------------------------

def test_forty_opportunities_are_summarised_on_one_slide_largest_first_with_a_total(many_opportunities, tmp_path):
    prs = written_deck(many_opportunities, tmp_path)
    pages = slides_about(prs, "Opportunities")
    assert len(pages) == 1 and topic(pages[0]) == "Opportunities"     # no continuation slides
    view = view_of(many_opportunities)
    *rows, total = table_rows(pages[0], "Opportunities")
    plan = many_opportunities.plan.opportunities
    assert 8 <= len(rows) < 40
    values = [row[3] for row in rows]
    largest = sorted(plan, key=lambda o: -o.value)[:len(rows)]
    assert values == [fmt.money(o.value, "USD") for o in largest]
    assert total[0] == "Total (40)" and total[3] == fmt.money(sum(o.value for o in plan), "USD")
    summary = view.list("Opportunities").summary(len(rows), "value", "value")
    rest = f"and {40 - len(rows)} more worth {summary.rest_total.short} (see the plan document)"
    assert rest in shape_named(pages[0], "Note").text_frame.text
    stages = shape_named(pages[0], "By stage").text_frame.text
    assert stages.startswith("Secured ") and "(10)" in stages
    assert pages[0].shapes.title.text == view.headlines["opportunities"] == "40 opportunities worth $8.2M"
    assert [t.split(" (")[0] for t in topics(prs)] == [t for t in deck.BASE_TITLES if t != "Not ready for review"]


def test_a_list_that_continues_fills_each_slide_alike(make_plan, tmp_path):
    data = harbor_data()
    people = data["lists"]["Stakeholders"]
    data["lists"]["Stakeholders"] = [dict(people[i % len(people)], Name=f"Person {i}") for i in range(19)]
    prs = written_deck(assess(make_plan(data), AS_OF), tmp_path)
    pages = slides_about(prs, "Relationship map")
    assert [topic(s) for s in pages] == [f"Relationship map ({i} of {len(pages)})" for i in range(1, len(pages) + 1)]
    counts = [len(table_rows(s, "Relationship map")) for s in pages]
    assert sum(counts) == 19 and len(pages) > 1
    assert max(counts) - min(counts) <= 2            # balanced: 10 + 9, never 18 + 1
    room = (deck.BODY_BOTTOM - deck.BODY_TOP) * 12700
    assert all(shape_named(s, "Relationship map").height > room / 3 for s in pages)


# Leadership questions and plan health ----------------------------------------------------------

def test_leadership_questions_are_answered_from_the_plan(overdue, sparse, make_plan, tmp_path):
    slide = slide_titled(written_deck(overdue, tmp_path, "full.pptx"), "Three leadership questions")
    objective, relationships, action = (shape_named(slide, f"Question {i}").text_frame.text for i in (1, 2, 3))
    assert "Worth $600,000 against a gap to target of $1,450,000." in objective
    assert "Why now: The licences" in objective
    assert "Decision maker: Maria Okafor (Trusted advisor)." in relationships
    assert "No buying stage is exposed" in relationships
    first = overdue.plan.actions[overdue.figures.next_action]
    assert first.action in action and f"Owner: {first.owner}" in action
    assert "Due: 10 Nov 2026 (overdue)" in action
    assert slide.shapes.title.text == "The plan answers all three leadership questions" or \
        slide.shapes.title.text.startswith("Gaps in ")
    blank = written_deck(sparse, tmp_path, "sparse.pptx")   # it answers none: the not-ready slide says what is missing
    assert "Three leadership questions" not in topics(blank)
    data = sparse_data()
    data["fields"]["objective_title"] = "Win the renewal"
    half = written_deck(assess(make_plan(data), AS_OF), tmp_path, "half.pptx")
    text = slide_text(slide_titled(half, "Three leadership questions"))
    assert "Win the renewal" in text
    assert "Missing: the plan lists no stakeholders." in text
    assert "Missing: the plan has no open action." in text


def test_plan_health_shows_completeness_and_findings_with_their_cells(harbor, tmp_path):
    findings = [make("opportunity-past-close", "Path to the number", Place("Path to number", "F9"),
                     "'Tracking portal' closed on 30 Jun 2026 and is not Secured")] + [
        make("action-overdue", "Action plan", Place("Action plan", f"D{row}"), f"Action {row} is overdue")
        for row in range(5, 45)]
    result = dataclasses.replace(harbor, findings=findings)
    slide = slide_titled(written_deck(result, tmp_path), "Plan health")
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
    prs = written_deck(request.getfixturevalue(fixture), tmp_path)
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
    slides = len(Presentation(str(path)).slides)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())) == slides == len(deck.BASE_TITLES) - 1


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


def test_long_lists_continue_or_are_summarised_and_long_text_is_shortened(everything_long, tmp_path):
    prs = written_deck(everything_long, tmp_path)
    for base in ("Customer agenda", "Relationship map", "Competition", "Account team and relationship health"):
        assert f"{base} (2 of " in "\n".join(topics(prs)), base      # the list is the slide's point
    for base in ("Opportunities", "Risks", "Action plan", "Position and whitespace"):
        assert len(slides_about(prs, base)) == 1, base                 # the first rows and how many more
    risks = slide_titled(prs, "Risks")
    rows = table_rows(risks, "Risks")
    assert 0 < len(rows) < 30 and all(r[0].endswith(ELLIPSIS) for r in rows)
    assert f"and {30 - len(rows)} more (see the plan document)" in shape_named(risks, "Note").text_frame.text
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                assert frame_height(shape.text_frame, Emu(shape.width).pt) <= Emu(shape.height).pt + 0.01
            if shape.has_table:
                _assert_table_fits(shape, slide.shapes.title.text)
            assert shape.top + shape.height <= prs.slide_height
    found = bars(slide_titled(prs, "Path to the number"))
    assert list(found) == ["Secured", "Forecast (weighted)", "Pipeline (weighted)", "Prospect (weighted)"]
    # no target in the plan: no gap and no target to draw


# International: every script has a font, right-to-left text reads from the right, long names fit -------

def test_the_theme_and_every_run_carry_east_asian_and_complex_script_fonts(harbor, tmp_path):
    import zipfile

    kit = default_kit()
    written_deck(harbor, tmp_path)
    with zipfile.ZipFile(tmp_path / "deck.pptx") as archive:
        theme = archive.read("ppt/theme/theme1.xml").decode()
    for kind in ("majorFont", "minorFont"):
        block = theme.split(f"<a:{kind}>")[1].split(f"</a:{kind}>")[0]
        assert f'<a:ea typeface="{kit.brand.ea_font}"/>' in block and kit.brand.ea_font
        assert f'<a:cs typeface="{kit.brand.cs_font}"/>' in block and kit.brand.cs_font
    prs = Presentation(str(tmp_path / "deck.pptx"))
    run = prs.slides[0].shapes.title.text_frame.paragraphs[0].runs[0]._r
    assert run.find(f"{qn('a:rPr')}/{qn('a:ea')}").get("typeface") == kit.brand.ea_font
    assert run.find(f"{qn('a:rPr')}/{qn('a:cs')}").get("typeface") == kit.brand.cs_font


def test_right_to_left_text_is_marked_and_set_from_the_right(make_plan, tmp_path):
    data = harbor_data()
    data["fields"]["account_name"] = "شركة الخليج للخدمات اللوجستية"
    prs = written_deck(assess(make_plan(data), AS_OF), tmp_path)
    paragraph = prs.slides[0].shapes.title.text_frame.paragraphs[0]
    assert paragraph.text == "شركة الخليج للخدمات اللوجستية"
    assert paragraph._p.pPr.get("rtl") == "1" and paragraph._p.pPr.get("algn") == "r"
    english = prs.slides[1].shapes.title.text_frame.paragraphs[0]
    assert english._p.pPr is None or english._p.pPr.get("rtl") is None


def test_a_long_account_name_shrinks_to_fit_whole_and_keeps_its_region(make_plan, tmp_path):
    name = ("Pacific Northwest Intermodal Container Terminal Operations and Logistics Holdings Corporation "
            "of the Greater Seattle Tacoma Port District")
    data = harbor_data()
    data["fields"].update(account_name=name, industry="Freight, logistics, warehousing and intermodal terminals "
                                                      "for ocean carriers and their shippers",
                          region="Asia Pacific — Japan, Korea and Greater China")
    prs = written_deck(assess(make_plan(data), AS_OF), tmp_path)
    title = prs.slides[0].shapes.title.text_frame.paragraphs[0]
    assert title.text == name and ELLIPSIS not in title.text
    assert paragraph_size(title) >= 24
    where = shape_named(prs.slides[0], "Where").text_frame.text
    assert where.endswith("Asia Pacific — Japan, Korea and Greater China")


def test_a_value_that_could_not_be_used_is_marked_where_it_shows(tmp_path):
    from workbooks import write_plan

    data = harbor_data()
    data["lists"]["Opportunities"][1]["Stage"] = "Won"
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    slide = slide_titled(written_deck(result, tmp_path), "Opportunities")
    table = shape_named(slide, "Opportunities").table
    stage = table.cell(2, 2)
    assert stage.text.startswith(deck.WARNING) and result.plan.opportunities[1].stage is None
    font = stage.text_frame.paragraphs[0].runs[0].font
    assert font.bold and font.color.rgb == rgb(default_kit().brand.bad)
    assert table.cell(1, 2).text == "Secured"           # a usable value is plain


@pytest.fixture
def stressed(make_plan):
    """Long names everywhere a manager sees them first, forty opportunities, a target in the tens of millions."""
    data = many_opportunities_data()
    data["fields"].update(account_name="Pacific Northwest Intermodal Container Terminal Operations and Logistics "
                                       "Holdings Corporation", region="Asia Pacific — Japan, Korea and Greater China",
                          annual_target=30_000_000)
    data["lists"]["Stakeholders"] = data["lists"]["Stakeholders"] * 4
    return assess(make_plan(data), AS_OF)


@pytest.mark.parametrize("fixture", ["stressed", "cobalt"])
def test_stress_and_sample_decks_fit_their_slides(fixture, request, tmp_path):
    test_every_text_fits_its_box_and_every_shape_the_slide(fixture, request, tmp_path)


@pytest.fixture
def cobalt(tmp_path):
    from generator.samples import cobalt_ridge
    from workbooks import write_plan

    return check(write_plan(cobalt_ridge(), tmp_path / "cobalt.xlsx"), AS_OF)
