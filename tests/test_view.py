"""The one view of a plan: every part of the definition has its place, marks and orders are decided once."""
import dataclasses

import pytest
from conftest import AS_OF, harbor_data, overdue_data

from generator.plan import schema
from generator.kit import default_kit
from generator.pipeline import assess
from generator.view import BAD, FAIR, GOOD, build_view


@pytest.fixture(scope="module")
def kit():
    return default_kit()


def view_of(make_plan, data, kit):
    result = assess(make_plan(data), AS_OF)
    return build_view(result.plan, result.figures, result.findings, kit), result


def test_every_section_list_and_column_of_the_definition_has_its_place_in_the_view(make_plan, kit):
    view, result = view_of(make_plan, harbor_data(), kit)
    assert [s.name for s in view.sections] == [s.name for s in kit.definition.sections]
    for section in kit.definition.sections:
        shown = view.section(section.name)
        assert [f.name for f in shown.fields] == [f.name for f in section.fields]
        assert [spec.table for spec in shown.lists] == [spec.table for spec in section.lists]
        for spec in section.lists:
            listed = shown.list(spec.table)
            assert [c.attr for c in listed.columns] == [c.attr for c in spec.columns]
            assert [c.header for c in listed.columns] == [c.header for c in spec.columns]
            assert len(listed.rows) == len(result.plan.lists[spec.table])
            for row in listed.rows:
                assert set(row.cells) == {c.attr for c in spec.columns}


def test_figures_are_lines_with_the_one_label_and_the_one_format(make_plan, kit):
    view, result = view_of(make_plan, harbor_data(), kit)
    gap = view.figure("gap_to_target")
    assert (gap.label, gap.kind, gap.value, gap.tone) == ("Gap to target", "money", result.figures.gap_to_target, BAD)
    assert gap.text == "$1,450,000"
    assert view.figure("pipeline_coverage").text == f"{result.figures.pipeline_coverage:.2f}×"
    assert view.figure("actions_due_soon").label == "Due within 14 days"


def test_rows_are_ordered_and_marked_once_for_every_output(make_plan, kit):
    view, result = view_of(make_plan, overdue_data(), kit)
    actions = view.list("Actions")
    assert [r.excel_row for r in actions.rows_with("open")] == \
        [result.plan.actions[i].excel_row for i in result.figures.open_actions]
    overdue, = actions.rows_with("overdue")
    assert overdue["due_date"].tone == BAD and overdue["due_date"].text == "10 Nov 2026 · overdue"
    assert actions.rows_with("blocked")[0]["status"].strong
    roles = [r["role"].text for r in view.list("Stakeholders").rows]
    order = {role: i for i, role in enumerate(schema.ROLES)}
    assert roles == sorted(roles, key=order.get)
    trusted = next(r for r in view.list("Stakeholders").rows if r["relationship"].text == "Trusted advisor")
    assert trusted["relationship"].tone == GOOD
    past, = view.list("Opportunities").rows_with("past-close")
    assert past["close_date"].text.endswith("· passed")


def test_a_high_risk_without_mitigation_is_marked_in_the_view(make_plan, kit):
    data = harbor_data()
    data["lists"]["Risks"][0].update({"Impact": "High", "Mitigation": None})
    view, _ = view_of(make_plan, data, kit)
    risk = next(r for r in view.list("Risks").rows if "unmitigated" in r.flags)
    assert risk["mitigation"].tone == BAD and risk["mitigation"].text == "No mitigation"
    assert view.list("Risks").rows[0] is risk            # high impact first


def test_the_three_answers_are_structured_and_say_what_is_missing(make_plan, kit):
    view, _ = view_of(make_plan, {"fields": {"account_name": "Sparse"}, "lists": {}}, kit)
    assert [a.question for a in view.answers] == list(kit.wording.questions.values())
    assert all(line.gap for a in view.answers for line in a.lines)
    assert view.answers[0].lines[0].text == "Missing: the plan names no objective."
    assert view.section("Risks").missing
    assert "'Risks' sheet" in view.section("Risks").missing_text


def test_an_unusable_value_is_marked_invalid_at_its_cell(tmp_path, kit):
    from workbooks import write_plan

    from generator.pipeline import check

    data = harbor_data()
    data["lists"]["Opportunities"][1]["Stage"] = "Won"
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    view = build_view(result.plan, result.figures, result.findings, kit)
    stage = view.list("Opportunities").rows[1]["stage"]
    assert stage.invalid and stage.tone == BAD
    assert (stage.text, stage.strong, stage.value) == ("Won", True, None)          # as typed, not a dash
    assert result.plan.opportunities[1].typed == {"stage": "Won"}


def test_a_refused_value_reads_as_typed_and_marked_in_a_workbook_and_in_code(tmp_path, make_plan, kit):
    from workbooks import write_plan

    from generator.pipeline import check

    data = harbor_data()
    data["lists"]["Opportunities"][1]["Stage"] = "Won"
    data["lists"]["Opportunities"][2]["Probability"] = 1.5          # 150% in the template's percent cell
    data["fields"]["annual_target"] = "lots"
    read = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    for result in (read, assess(make_plan(data), AS_OF)):
        assert result.plan.typed == {"annual_target": "lots"}
        assert result.plan.opportunities[2].typed == {"probability": "150%"}
        view = build_view(result.plan, result.figures, result.findings, kit)
        rows = view.list("Opportunities").rows
        stage, probability = rows[1]["stage"], rows[2]["probability"]
        assert (stage.text, stage.tone, stage.strong, stage.invalid) == ("Won", BAD, True, True)
        assert (probability.text, probability.tone, probability.invalid) == ("150%", BAD, True)
        assert result.figures.probabilities[2] == 0.4 and probability.note == "40% used"   # the stage's default
        assert rows[3]["probability"].invalid is False                                    # a fine one stays fine
        target = view.section("Path to the number").field("annual_target").cell
        assert (target.text, target.invalid, target.tone) == ("lots", True, BAD)
        assert view.fact("annual_target").text == "lots"
        assert view.figure("annual_target").text == "—"              # no figure from a value not read


def test_money_reads_one_way_decided_once_for_the_plan(make_plan, kit):
    view, _ = view_of(make_plan, harbor_data(), kit)
    assert not view.cents and view.money_format == '"$"#,##0'
    assert (view.figure("gap_to_target").text, view.figure("gap_to_target").short) == ("$1,450,000", "$1.45M")
    assert view.figure("secured").short == "$950K"
    assert view.money_format_short(1_450_000) == '"$"#,##0.00,,"M"'
    data = harbor_data()
    data["fields"]["prior_year_actual"] = 1_900_000.25
    data["fields"]["currency"] = "CHF"
    view, _ = view_of(make_plan, data, kit)
    assert view.cents and view.money_format == '"CHF "#,##0.00'
    assert view.figure("gap_to_target").text == "CHF 1,450,000.00"
    assert view.list("Opportunities").rows[0]["value"].text.endswith(".00")
    data["fields"]["prior_year_actual"] = 2
    view, _ = view_of(make_plan, data, kit)
    assert view.figure("growth_vs_prior").text == "n/m"


def test_exposed_stages_section_status_finding_tone_and_alignment_are_in_the_view(make_plan, kit):
    data = harbor_data()
    people = data["lists"]["Stakeholders"]
    people[2]["Evaluation of alternatives"] = None     # Kenji no longer covers the Detractor's stages
    people[2]["Information search"] = None
    view, result = view_of(make_plan, data, kit)
    exposed = view.figure("exposed_stages")
    assert exposed.value == tuple(result.figures.exposed_stages) and exposed.value
    assert (exposed.label, exposed.text, exposed.tone) == ("Exposed stages", ", ".join(exposed.value), BAD)
    calm, _ = view_of(make_plan, harbor_data(), kit)
    assert (calm.figure("exposed_stages").value, calm.figure("exposed_stages").tone) == ((), None)

    sparse, _ = view_of(make_plan, {"fields": {"account_name": "Sparse"}, "lists": {}}, kit)
    missing, complete = sparse.section("Risks").status_cell, calm.section("Risks").status_cell
    assert (missing.text, missing.tone, missing.strong) == (kit.wording.mark("missing"), BAD, True)
    assert (complete.text, complete.tone, complete.strong) == (kit.wording.mark("complete"), GOOD, False)

    opportunities = view.list("Opportunities")
    assert [c.attr for c in opportunities.columns if c.right_aligned] == ["value", "probability"]
    warning = view.findings[0]
    assert warning.severity == "warning" and warning.tone == FAIR
    assert dataclasses.replace(warning, severity="error").tone == BAD


def test_a_kits_own_section_has_its_place_and_columns_carry_their_layout(make_plan, kit):
    from dataclasses import replace

    from generator.plan.model import row_class

    partners = schema.ListSpec("Partners", "Partner", "partners", (
        schema.Column("Partner", "partner", required=True, width=24),
        schema.Column("Tier", "tier", schema.CHOICE, choices=("Gold", "Silver"))))
    own = replace(kit, definition=replace(kit.definition, sections=(
        *kit.definition.sections, schema.Section("Partner plan", "Partners", "Who helps us win.", lists=(partners,)))))
    view, _ = view_of(make_plan, harbor_data(), own)       # a plan read without the kit's list: no rows
    listed = view.section("Partner plan").list("Partners")
    assert listed.rows == () and [c.header for c in listed.columns] == ["Partner", "Tier"]
    assert (listed.column("partner").width, listed.column("tier").choices) == (24, ("Gold", "Silver"))
    stage = view.list("Opportunities").column("stage")
    assert (stage.width, stage.choices) == (12, schema.STAGES)

    plan = make_plan(harbor_data())
    plan.lists["Partners"] = [row_class(partners)(partner="Northwind", tier="Gold")]
    result = assess(plan, AS_OF)
    row, = build_view(plan, result.figures, result.findings, own).list("Partners").rows
    assert (row["partner"].text, row["tier"].text) == ("Northwind", "Gold")
    assert row_class(partners) is row_class(partners)


def test_the_path_to_the_number_climbs_by_weighted_stage_and_ends_at_the_target(make_plan, kit):
    view, result = view_of(make_plan, harbor_data(), kit)
    f = result.figures
    assert [s.key for s in view.path] == ["secured", "weighted_forecast", "weighted_pipeline", "weighted_prospect",
                                          "uncovered_gap", "annual_target"]
    assert [s.role for s in view.path] == ["secured", "open", "open", "open", "gap", "total"]
    for before, after in zip(view.path[:4], view.path[1:5]):
        assert after.start == pytest.approx(before.end)           # each bar starts where the last ended
    assert view.path[4].end == pytest.approx(f.annual_target) and view.path[5].start == 0
    weighted = [view.figure(f"weighted_{s.lower()}") for s in ("Forecast", "Pipeline", "Prospect")]
    assert [w.label for w in weighted] == ["Forecast (weighted)", "Pipeline (weighted)", "Prospect (weighted)"]
    assert [w.value for w in weighted] == pytest.approx([420_000, 265_000, 40_000])
    assert sum(w.value for w in weighted) == pytest.approx(f.weighted_open)
    assert [s.short for s in view.path] == ["$950K", "$420K", "$265K", "$40K", "$725K", "$2.4M"]

    data = harbor_data()
    data["fields"]["annual_target"] = 1_200_000                    # secured and weighted open cover it
    covered, result = view_of(make_plan, data, kit)
    surplus = covered.path[4]
    assert (surplus.key, surplus.role, surplus.tone) == ("surplus", "surplus", GOOD)
    assert surplus.start == 1_200_000 and surplus.end == pytest.approx(950_000 + 725_000)
    assert covered.figure("surplus").value == pytest.approx(475_000) == result.figures.surplus
    missing = dict(harbor_data(), fields={**harbor_data()["fields"], "annual_target": None})
    assert [s.role for s in view_of(make_plan, missing, kit)[0].path] == ["secured", "open", "open", "open"]


def test_headlines_state_each_parts_point_in_the_shared_wording(make_plan, kit):
    view, _ = view_of(make_plan, overdue_data(), kit)
    h = view.headlines
    assert h["summary"] == "$725K of the $2.4M target is uncovered"
    assert h["path"] == "$725K uncovered; pipeline covers 1.10× the gap"
    assert h["actions"] == "1 of 4 open actions overdue; 1 of 4 blocked"
    assert h["opportunities"] == "5 opportunities worth $2.55M; 1 past its close date"
    assert h["objective"] == "Worth $600K against a $1.45M gap; decision by 31 Mar 2027"
    assert h["relationships"] == "Decision maker: Maria Okafor (Trusted advisor); no buying stage exposed"
    data = harbor_data()
    data["lists"]["Stakeholders"][0]["Role"] = "Influencer"
    data["lists"]["Stakeholders"][2].update({"Evaluation of alternatives": None, "Information search": None})
    exposed, result = view_of(make_plan, data, kit)
    assert exposed.headlines["relationships"] == \
        "No Decision maker; " + ", ".join(result.figures.exposed_stages) + " exposed"
    sparse, _ = view_of(make_plan, {"fields": {"account_name": "Sparse"}, "lists": {}}, kit)
    assert sparse.headlines["summary"].startswith("The plan sets no annual target; the plan is ")
    assert sparse.headlines["not_ready"] == "Not ready for review: what is missing"
    assert set(h) == set(sparse.headlines)


def test_a_long_list_gives_its_first_rows_a_total_and_what_is_left_out(make_plan, kit):
    from conftest import many_opportunities_data

    view, result = view_of(make_plan, many_opportunities_data(), kit)
    listed = view.list("Opportunities")
    summary = listed.summary(8, by="value", total="value")
    values = [o.value for o in result.plan.opportunities]
    assert [r["value"].value for r in summary.shown] == sorted(values, reverse=True)[:8]
    assert summary.rest_count == 32
    assert summary.rest_total.value == sum(sorted(values, reverse=True)[8:])
    assert (summary.total.value, summary.total.text, summary.total.short) == (8_200_000, "$8,200,000", "$8.2M")
    assert listed.summary(50).rest_count == 0 and listed.summary(3).shown == listed.rows[:3]
    stages = listed.subtotals("stage", "value")
    assert [(s.label, s.count) for s in stages] == [("Secured", 10), ("Forecast", 10), ("Pipeline", 10),
                                                    ("Prospect", 10)]
    assert sum(s.total.value for s in stages) == 8_200_000
