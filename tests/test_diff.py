"""The review cycle: what changed between two versions of a plan (`diff`), and open actions as a calendar."""
import datetime as dt
import json

import pytest
from click.testing import CliRunner
from conftest import harbor_data
from workbooks import write_plan

from generator.cli import main
from generator.diff import PlanDiff, diff_plans, match_rows, to_json, to_text
from generator.errors import DifferentAccountsError
from generator.ics import calendar_of, escape, fold
from generator.pipeline import assess
from generator.plan import schema

D = dt.date
OLD_AS_OF, NEW_AS_OF = D(2026, 11, 2), D(2026, 11, 25)     # each version assessed as of its own plan date
FIVE_COMPONENTS = ("drivers", "proposition", "expectation_management", "decision_making", "delivery")


def _by(rows, key, value):
    return next(r for r in rows if r[key] == value)


def old_data() -> dict:
    """Harbor as it was at the last review: no competitor yet, Greg Hollis's invitation due 20 Nov."""
    data = harbor_data()
    data["lists"]["Competitors"] = []
    _by(data["lists"]["Actions"], "Action", "Invite Greg Hollis to the design authority")["Due date"] = D(2026, 11, 20)
    return data


def new_data() -> dict:
    """The same plan three weeks on: one of every kind of change."""
    data = old_data()
    f, lists = data["fields"], data["lists"]
    f["plan_date"] = NEW_AS_OF
    f["relationship_score"] = 2                                  # position Key -> Target
    for name in FIVE_COMPONENTS:                                 # the Five components section emptied
        del f[name]
    opportunities = lists["Opportunities"]
    _by(opportunities, "Opportunity", "Platform renewal 2027")["Value"] = 1_000_000          # value change
    _by(opportunities, "Opportunity", "Terminal consolidation phase 1")["Stage"] = "Secured"  # stage change
    _by(opportunities, "Opportunity", "Tracking portal")["Opportunity"] = "Tracking portals"  # small rename
    _by(opportunities, "Opportunity", "Labour planning module")["Opportunity"] = "Workforce scheduling suite"  # big
    opportunities.remove(_by(opportunities, "Opportunity", "Customs integration (phase 2)"))
    opportunities.append({"Opportunity": "Fleet telematics pilot", "Offering": "Telematics", "Stage": "Pipeline",
                          "Value": 300_000, "Close date": D(2027, 4, 30), "Owner": "Luis Romero"})
    stakeholders = lists["Stakeholders"]
    _by(stakeholders, "Name", "Tom Baxter")["Relationship"] = "Trusted advisor"
    _by(stakeholders, "Name", "Sandra Levy")["Role"] = "Supporter"
    stakeholders.remove(_by(stakeholders, "Name", "Aisha Grant"))
    stakeholders.append({"Name": "Nadia Pereira", "Title": "Head of Procurement", "Department": "Procurement",
                         "Role": "Influencer", "Relationship": "Building trust", "Purchase decision": "X"})
    actions = lists["Actions"]
    _by(actions, "Action", "Agree proof-of-value success criteria with Kenji Mori")["Status"] = "Done"
    _by(actions, "Action", "Present the total cost study to Tom Baxter")["Due date"] = D(2027, 2, 10)
    actions.append({"Action": "Book the steering committee", "Purpose": "Meet someone", "Owner": "Dana Whitfield",
                    "Due date": D(2026, 12, 15), "Status": "Not started"})
    risks = lists["Risks"]
    risks.remove(_by(risks, "Risk", "Proof of value slips past peak season"))
    risks.append({"Risk": "Budget freeze in Q1", "Impact": "High", "Likelihood": "Medium",
                  "Mitigation": "Phase the order over two budgets", "Owner": "Dana Whitfield"})
    _by(lists["PressureTest"], "Question", "Do we know the risks that could derail the deal?")["Answer"] = "Yes"
    lists["Competitors"] = harbor_data()["lists"]["Competitors"]    # the Competition section completed
    return data


@pytest.fixture(scope="module")
def pair():
    from generator.plan.model import build_plan

    def make(data):
        return build_plan(data["fields"], data["lists"], file="in-code.xlsx")
    return assess(make(old_data()), OLD_AS_OF), assess(make(new_data()), NEW_AS_OF)


@pytest.fixture(scope="module")
def changes(pair) -> PlanDiff:
    return diff_plans(*pair, schema.DEFAULT_DEFINITION)


def _changed(listed):
    return [(row.name, c.header, c.before, c.after) for row in listed.changed for c in row.changes]


def test_opportunities_matched_by_name_small_rename_kept_big_rename_removed_and_added(changes):
    opportunities = changes.lists["Opportunities"]
    assert [r.name for r in opportunities.added] == ["Workforce scheduling suite", "Fleet telematics pilot"]
    assert [r.name for r in opportunities.removed] == ["Labour planning module", "Customs integration (phase 2)"]
    assert _changed(opportunities) == [
        ("Platform renewal 2027", "Value", 950_000, 1_000_000),
        ("Terminal consolidation phase 1", "Stage", "Forecast", "Secured"),
        ("Tracking portals", "Opportunity", "Tracking portal", "Tracking portals"),
    ]
    renamed = opportunities.changed[2]
    assert renamed.renamed and renamed.before_name == "Tracking portal"
    value = opportunities.changed[0].changes[0]
    assert (value.before_text, value.after_text) == ("$950,000", "$1,000,000")
    added = opportunities.added[1]
    assert added.values["stage"] == "Pipeline" and added.texts["value"] == "$300,000"


def test_stakeholders_added_removed_relationship_and_role(changes):
    stakeholders = changes.lists["Stakeholders"]
    assert [r.name for r in stakeholders.added] == ["Nadia Pereira"]
    assert [r.name for r in stakeholders.removed] == ["Aisha Grant"]
    assert _changed(stakeholders) == [("Tom Baxter", "Relationship", "Building trust", "Trusted advisor"),
                                      ("Sandra Levy", "Role", "Influencer", "Supporter")]


def test_action_review_done_new_slipped_newly_overdue(changes):
    a = changes.actions
    assert [(i.name, i.before_status, i.status) for i in a.done] == [
        ("Agree proof-of-value success criteria with Kenji Mori", "In progress", "Done")]
    assert [(i.name, i.due_date, i.before_due_date, i.before_status) for i in a.new] == [
        ("Book the steering committee", D(2026, 12, 15), None, None)]
    assert [(i.name, i.before_due_date, i.due_date) for i in a.slipped] == [
        ("Present the total cost study to Tom Baxter", D(2027, 1, 20), D(2027, 2, 10))]
    assert [(i.name, i.due_date, i.overdue) for i in a.newly_overdue] == [
        ("Invite Greg Hollis to the design authority", D(2026, 11, 20), True)]
    assert a.dropped == () and a.other == ()          # the status and due-date changes are told once, above
    assert _changed(changes.lists["Actions"]) == [
        ("Agree proof-of-value success criteria with Kenji Mori", "Status", "In progress", "Done"),
        ("Present the total cost study to Tom Baxter", "Due date", D(2027, 1, 20), D(2027, 2, 10))]


def test_risks_sections_and_other_lists(changes):
    assert [r.name for r in changes.risks.added] == ["Budget freeze in Q1"]
    assert [r.name for r in changes.risks.closed] == ["Proof of value slips past peak season"]
    assert changes.risks.changed == ()
    assert [s.name for s in changes.sections.completed] == ["Competition"]
    assert [(s.name, s.before_status, s.after_status) for s in changes.sections.went_missing] == [
        ("Five components", "complete", "missing")]
    assert [r.name for r in changes.lists["Competitors"].added] == ["Stackwise WMS", "In-house build"]
    assert _changed(changes.lists["PressureTest"]) == [
        ("Do we know the risks that could derail the deal?", "Answer", "Partly", "Yes")]
    for table in ("CustomerPriorities", "Whitespace", "AccountTeam", "HealthSignals", "Reviews"):
        assert changes.lists[table].empty, table
    assert [(c.attr, c.before, c.after) for c in changes.fields] == [
        ("relationship_score", 4, 2), *((name, harbor_data()["fields"][name], None) for name in FIVE_COMPONENTS)]


def test_figures_moved_with_before_and_after(changes, pair):
    old, new = pair
    moved = {c.key: c for c in changes.figures}
    assert list(moved) == ["secured", "gap_to_target", "uncovered_gap", "pipeline_coverage", "readiness",
                           "completeness", "position"]
    assert (moved["secured"].before, moved["secured"].after) == (950_000, 1_600_000)
    assert moved["secured"].sentence == "Secured up $650K to $1.6M"
    assert (moved["gap_to_target"].before, moved["gap_to_target"].after) == (1_450_000, 800_000)
    assert moved["gap_to_target"].direction == "down" and moved["gap_to_target"].delta_text == "$650,000"
    assert (moved["readiness"].before, moved["readiness"].after) == (0.9, 1.0)
    assert (moved["position"].before, moved["position"].after) == ("Key", "Target")
    assert moved["position"].sentence == "Position now Target (was Key)"
    assert moved["completeness"].before == old.figures.completeness.overall > moved["completeness"].after


def test_each_change_is_listed_exactly_once(changes):
    for listed in changes.lists.values():
        seen = [(r.name, c.attr) for r in listed.changed for c in r.changes]
        assert len(seen) == len(set(seen)), listed.table
        names = [r.name for r in (*listed.added, *listed.removed)] + [r.name for r in listed.changed]
        assert len(names) == len(set(names)), listed.table
    a = changes.actions
    assert len({i.name for i in (*a.done, *a.new, *a.slipped, *a.newly_overdue)}) == 4


def test_summary_line(changes):
    assert changes.summary == (
        "Secured up $650K to $1.6M; uncovered gap down $310K to $415K; 2 opportunities added, 2 removed, 3 changed; "
        "1 stakeholder added, 1 removed, 2 changed; 1 risk added, 1 closed; "
        "1 action done, 1 new, 1 slipped, 1 newly overdue; 1 section completed, 1 gone missing; 9 other changes")
    assert "\n" not in changes.summary


def test_a_plan_against_itself_is_no_change(pair):
    _, new = pair
    same = diff_plans(new, new)
    assert same.empty
    assert same.figures == () and same.fields == () and all(d.empty for d in same.lists.values())
    assert same.actions.empty and same.risks.empty and same.sections.empty
    assert same.summary == "No change between the two versions"
    assert "No change between the two versions." in to_text(same)


def test_case_and_spacing_of_names_and_values_is_no_change(make_plan):
    data = harbor_data()
    old = assess(make_plan(data), NEW_AS_OF)
    opportunity = data["lists"]["Opportunities"][0]
    opportunity["Opportunity"] = "  platform RENEWAL   2027 "
    opportunity["Next step"] = "countersigned  order form"
    assert diff_plans(old, assess(make_plan(data), NEW_AS_OF)).empty


def test_rows_with_the_same_name_pair_in_order_and_a_choice_name_is_never_fuzzy():
    spec = schema.LISTS["AccountTeam"]
    row = lambda role, name: type("R", (), {"role": role, "name": name, "typed": {}})()   # noqa: E731
    old = [row("Technical expert", "A"), row("Technical expert", "B"), row("Account lead", "C")]
    new = [row("Technical expert", "A"), row("Technical expert", "B2"), row("Relationship lead", "C")]
    assert match_rows(spec, old, new) == ([(0, 0), (1, 1)], [2], [2])


def test_different_accounts_are_refused(pair, make_plan):
    old, _ = pair
    other = harbor_data()
    other["fields"]["account_name"] = "Cobalt Ridge Health"
    with pytest.raises(DifferentAccountsError) as refused:
        diff_plans(old, assess(make_plan(other), NEW_AS_OF))
    assert refused.value.code == "different-accounts" and refused.value.exit_code == 2
    spaced = harbor_data()
    spaced["fields"]["account_name"] = "HARBOR  line logistics."
    assert diff_plans(old, assess(make_plan(spaced), NEW_AS_OF)).account == "HARBOR  line logistics."


def test_json_keys_and_values(changes):
    report = to_json(changes)
    json.dumps(report)                                            # JSON-safe throughout
    assert list(report) == ["old", "new", "summary", "figures", "fields", "lists", "actions", "risks", "sections"]
    assert list(report["old"]) == ["file", "account_name", "plan_date", "as_of", "currency"]
    assert report["old"]["plan_date"] == "2026-11-02" and report["new"]["plan_date"] == "2026-11-25"
    assert report["figures"][0] == {"key": "secured", "before": 950000, "after": 1600000}
    assert isinstance(report["figures"][0]["after"], int)
    assert list(report["lists"]) == list(schema.LISTS)
    assert all(list(v) == ["added", "removed", "changed"] for v in report["lists"].values())
    assert {"name": "Tom Baxter", "column": "Relationship", "before": "Building trust", "after": "Trusted advisor"} \
        in report["lists"]["Stakeholders"]["changed"]
    assert {"name": "Present the total cost study to Tom Baxter", "column": "Due date", "before": "2027-01-20",
            "after": "2027-02-10"} in report["lists"]["Actions"]["changed"]
    assert list(report["actions"]) == ["done", "new", "slipped", "newly_overdue"]
    slipped = report["actions"]["slipped"][0]
    assert list(slipped) == ["name", "owner", "status", "due_date", "overdue", "before_status", "before_due_date"]
    assert (slipped["before_due_date"], slipped["due_date"]) == ("2027-01-20", "2027-02-10")
    assert report["risks"] == {"added": ["Budget freeze in Q1"], "closed": ["Proof of value slips past peak season"]}
    assert report["sections"] == {"completed": ["Competition"], "went_missing": ["Five components"]}


# The command line ----------------------------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("diff")
    return write_plan(old_data(), folder / "harbor-nov-02.xlsx"), write_plan(new_data(), folder / "harbor-nov-25.xlsx")


def test_cli_prints_the_memo(workbooks):
    old, new = workbooks
    result = run("diff", old, new, "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Harbor Line Logistics — what changed since 2 Nov 2026"
    assert lines[1] == f"old  {old} · plan date 2 Nov 2026 · as of 2 Nov 2026"
    assert lines[2] == f"new  {new} · plan date 25 Nov 2026 · as of 25 Nov 2026"
    assert lines[4].startswith("Secured up $650K to $1.6M; ") and lines[4].endswith(".")
    text = result.stdout
    assert "Figures\n  Secured            $950,000 → $1,600,000 (up $650,000)\n" in text
    assert "  Position           Key → Target\n" in text
    assert "Opportunities\n  added    Workforce scheduling suite\n  added    Fleet telematics pilot\n" in text
    assert "  changed  Terminal consolidation phase 1 — Stage: Forecast → Secured\n" in text
    assert "  slipped        Present the total cost study to Tom Baxter — due 20 Jan 2027 → 10 Feb 2027\n" in text
    assert "  newly overdue  Invite Greg Hollis to the design authority — due 20 Nov 2026, Priya Nair\n" in text
    assert "Risks\n  added    Budget freeze in Q1\n  closed   Proof of value slips past peak season\n" in text
    assert "Sections\n  completed     Competition (0% → 100%)\n  gone missing  Five components" in text
    assert result.stderr == ""


def test_cli_json(workbooks):
    old, new = workbooks
    result = run("diff", old, new, "--json", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["old"]["file"] == str(old) and report["new"]["file"] == str(new)
    assert [a["name"] for a in report["actions"]["newly_overdue"]] == ["Invite Greg Hollis to the design authority"]
    assert report["lists"]["Opportunities"]["removed"] == ["Labour planning module", "Customs integration (phase 2)"]


def test_cli_the_same_file_twice(workbooks):
    """Nothing typed changed; the old side is taken as of its plan date, so what fell overdue since shows."""
    old, _ = workbooks
    result = run("diff", old, old, "--as-of", "2026-11-25")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[4] == "1 action newly overdue."
    assert result.stdout.endswith(
        "Actions\n  newly overdue  Invite Greg Hollis to the design authority — due 20 Nov 2026, Priya Nair\n")
    same_day = run("diff", old, old, "--as-of", "2026-11-02")
    assert same_day.exit_code == 0 and same_day.stdout.splitlines()[4] == "No change between the two versions."


def test_cli_refuses_plans_of_two_accounts_in_one_line(workbooks, tmp_path):
    old, _ = workbooks
    data = harbor_data()
    data["fields"]["account_name"] = "Cobalt Ridge Health"
    other = write_plan(data, tmp_path / "cobalt.xlsx")
    result = run("diff", old, other)
    assert result.exit_code == 2
    assert result.stdout == ""
    line, = result.stderr.strip().splitlines()
    assert "'Harbor Line Logistics'" in line and "'Cobalt Ridge Health'" in line
    assert str(old) in line and str(other) in line
    json_result = run("diff", old, other, "--json")
    assert json_result.exit_code == 2 and json_result.stdout == ""


def test_cli_unusable_file_is_refused_like_validate(workbooks, tmp_path):
    old, _ = workbooks
    notes = tmp_path / "notes.xlsx"
    notes.write_text("account,owner\nHarbor,Dana\n", encoding="utf-8")
    result = run("diff", old, notes)
    validate = run("validate", notes)
    assert result.exit_code == validate.exit_code == 2
    assert result.stderr == validate.stderr and len(result.stderr.strip().splitlines()) == 1
    missing = run("diff", tmp_path / "nowhere.xlsx", old)
    assert missing.exit_code == 2 and "nowhere.xlsx" in missing.stderr and "Traceback" not in missing.stderr


# Actions as calendar items -------------------------------------------------------------------------------------

LONG_ACTION = ("Review the contract; confirm scope, price and terms — with Jürgen Müller's team\\legal before the "
               "steering committee 🚚")


def calendar_data() -> dict:
    data = harbor_data()
    data["lists"]["Actions"] += [
        {"Action": "Call the CFO's office", "Owner": "Priya Nair", "Status": "Not started"},     # no due date
        {"Action": LONG_ACTION, "Purpose": "Remove a risk", "Owner": "Grace Liu", "Due date": D(2026, 12, 1),
         "Status": "Blocked", "Linked to": "IT pushes an in-house build"},
        {"Action": "Invite Greg Hollis to the design authority", "Owner": "Luis Romero", "Due date": D(2027, 1, 5),
         "Status": "In progress"},                                                             # the same text again
    ]
    return data


def test_actions_ics_one_event_per_open_dated_action(tmp_path):
    icalendar = pytest.importorskip("icalendar")
    plan = write_plan(calendar_data(), tmp_path / "harbor.xlsx")
    target = tmp_path / "out" / "harbor.ics"
    result = run("actions", plan, "--ics", target, "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {target}: 6 open actions on their due dates",
        "not placed, no due date: Call the CFO's office (Priya Nair, Not started)"]
    data = target.read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "accountplan" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries == [
        LONG_ACTION, "Agree proof-of-value success criteria with Kenji Mori",
        "Invite Greg Hollis to the design authority", "Invite Greg Hollis to the design authority",
        "Executive dinner with Maria Okafor and our COO", "Present the total cost study to Tom Baxter"]
    assert "Renewal order form countersigned" not in summaries and "Call the CFO's office" not in summaries
    assert len({str(e["UID"]) for e in events}) == len(events)
    first = events[0]
    assert first["DTSTART"].dt == D(2026, 12, 1) and first["DTSTART"].params.get("VALUE") == "DATE"
    assert first["DTSTAMP"].dt == dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
    description = str(first["DESCRIPTION"])
    assert description.splitlines() == ["Owner: Grace Liu", "Status: Blocked", "Purpose: Remove a risk",
                                        "Linked to: IT pushes an in-house build",
                                        "Plan: harbor.xlsx (Harbor Line Logistics)"]
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)           # long lines were folded

    again = run("actions", plan, "--ics", target, "--as-of", "2026-11-25")
    assert again.exit_code == 0 and target.read_bytes() == data   # byte-identical run to run


def test_ics_uid_is_stable_from_account_and_action_text(make_plan):
    data = harbor_data()
    before = {e.summary: e.uid for e in calendar_of(assess(make_plan(data), NEW_AS_OF)).events}
    for action in data["lists"]["Actions"]:
        action["Due date"] = D(2027, 3, 1)
    after = {e.summary: e.uid for e in calendar_of(assess(make_plan(data), D(2026, 11, 30))).events}
    assert before == after


def test_ics_overwrites_only_its_own_calendar(tmp_path):
    plan = write_plan(harbor_data(), tmp_path / "harbor.xlsx")
    mine = tmp_path / "notes.ics"
    mine.write_text("BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    result = run("actions", plan, "--ics", mine)
    assert result.exit_code == 3 and "not a calendar accountplan wrote" in result.stderr
    assert mine.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else")
    assert run("actions", plan, "--ics", tmp_path).exit_code == 3               # a folder
    assert run("actions", tmp_path / "missing.xlsx", "--ics", tmp_path / "x.ics").exit_code == 2


def test_actions_without_ics_lists_them(tmp_path):
    plan = write_plan(calendar_data(), tmp_path / "harbor.xlsx")
    result = run("actions", plan, "--as-of", "2026-11-25")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 Dec 2026   Review the contract")
    assert lines[-1] == "no due date  Call the CFO's office (Priya Nair)"


def test_escape_and_fold():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("SUMMARY:" + "é" * 60 + "\\n" * 10)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if n else p for n, p in enumerate(parts)) == "SUMMARY:" + "é" * 60 + "\\n" * 10
    assert not any(p.endswith("\\") for p in parts)                # never inside an escape
