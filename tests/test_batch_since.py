"""`accountplan build PATH... --since DIR`: every plan of a batch built as `build NEW --since OLD` builds it,
against its earlier version in DIR, matched by account name as `portfolio --since` matches; a plan with none
is built without changes and said to be new; an earlier file that cannot be used is listed and stops nothing."""
import openpyxl
import pytest
from click.testing import CliRunner
from outputs import deck_text, document_text, slide_text
from pptx import Presentation
from test_diff import NEW_AS_OF
from test_portfolio import since_folders  # noqa: F401 (the fixture: plans now, and q3's earlier versions)

from generator.batch import build_many, earlier_of
from generator.cli import main
from generator.render.checked import CHANGES_SHEET

HARBOR, ACME, ORION = "harbor-line-logistics", "acme-ltd", "orion-retail-gmbh"


def _build(*args, jobs: int = 1):
    return CliRunner().invoke(main, ["build", *map(str, args), "--as-of", NEW_AS_OF.isoformat(),
                                     "--jobs", str(jobs)])


@pytest.fixture(scope="module")
def batch(since_folders, tmp_path_factory):
    now, q3 = since_folders
    out = tmp_path_factory.mktemp("out") / "out"
    return _build(now, "-o", out, "--since", q3), out


@pytest.fixture(scope="module")
def alone(since_folders, tmp_path_factory):
    """Each matched pair built on its own, `build NEW --since OLD`, into a folder of its own."""
    now, q3 = since_folders
    root = tmp_path_factory.mktemp("alone")
    pairs = (("harbor.xlsx", "harbor-2026-11-02.xlsx", HARBOR), ("acme.xlsx", "acme-q3.xlsx", ACME))
    for plan, earlier, folder in pairs:
        result = _build(now / plan, "-o", root / folder, "--since", q3 / earlier)
        assert result.exit_code == 0, result.output
    result = _build(now / "orion.xlsx", "-o", root / ORION)
    assert result.exit_code == 0, result.output
    return root


def outputs(folder):
    return {p.suffix: p for p in folder.iterdir()}


def test_matched_plans_get_the_what_changed_slide_with_a_changed_figure(batch):
    result, out = batch
    assert result.exit_code == 0, result.output                     # an unusable earlier file changes nothing
    harbor = slide_text(Presentation(str(outputs(out / HARBOR)[".pptx"])).slides[1])
    assert "What changed since 2 Nov 2026" in harbor                 # the later of Harbor's two earlier versions
    assert "Secured" in harbor and "$1.6M" in harbor
    acme = slide_text(Presentation(str(outputs(out / ACME)[".pptx"])).slides[1])
    assert "What changed since 1 Oct 2026" in acme                   # `acme  LTD.` is ACME Ltd
    assert "Secured" in acme and "$950K" in acme


def test_matched_plans_get_a_changes_sheet_and_the_new_one_none(batch):
    _, out = batch
    for folder, after in ((HARBOR, "$1,600,000"), (ACME, "$950,000")):
        wb = openpyxl.load_workbook(outputs(out / folder)[".xlsx"])
        rows = list(wb[CHANGES_SHEET].iter_rows(min_row=3, max_col=5, values_only=True))
        secured, = (r for r in rows if r[:2] == ("Figures", "Secured"))
        assert secured[4] == after, folder
    assert CHANGES_SHEET not in openpyxl.load_workbook(outputs(out / ORION)[".xlsx"]).sheetnames
    assert "What changed since" not in deck_text(outputs(out / ORION)[".pptx"])
    assert "What changed since" not in document_text(outputs(out / ORION)[".docx"])


def test_the_table_and_the_progress_say_each_plans_earlier_version_and_the_file_not_usable(batch, since_folders):
    result, _ = batch
    now, q3 = since_folders
    text = result.stdout
    lines = text.splitlines()
    progress = {line.split(" → ")[0].split(": ", 1)[1]: line for line in lines if line.startswith("[")}
    assert progress["Harbor Line Logistics"].endswith(
        f" · since {q3 / 'harbor-2026-11-02.xlsx'}, the latest of 2 earlier versions")
    assert progress["ACME Ltd"].endswith(f" · since {q3 / 'acme-q3.xlsx'}")
    assert progress["Orion Retail GmbH"].endswith(" · New since last review")
    header = next(line for line in lines if line.lstrip().startswith("Plan"))
    assert "Earlier version" in header
    row = next(line for line in lines if "orion.xlsx" in line and "Orion Retail GmbH" in line)
    assert "New since last review" in row
    assert any(str(q3 / "acme-q3.xlsx") in line and "ACME Ltd" in line for line in lines)
    assert f"since {q3} (3 earlier plans): 2 with an earlier version, 1 new" in lines
    at = lines.index("1 earlier file not usable:")
    assert str(q3 / "broken.xlsx") in lines[at + 1] and "not an Excel workbook" in lines[at + 1]
    assert lines[-1].startswith("3 plans") and "3 built" in lines[-1]
    assert "Traceback" not in result.output


def _content(path):
    """What a reader sees of an output: the deck's and the document's text, the workbook's every cell."""
    if path.suffix == ".pptx":
        return deck_text(path)
    if path.suffix == ".docx":
        return document_text(path)
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_each_plan_is_what_build_new_since_old_makes_on_its_own(batch, alone):
    _, out = batch
    for folder in (HARBOR, ACME, ORION):
        mine, theirs = outputs(out / folder), outputs(alone / folder)
        assert sorted(mine) == sorted(theirs) == [".docx", ".pptx", ".xlsx"]
        for suffix in mine:
            assert _content(mine[suffix]) == _content(theirs[suffix]), (folder, suffix)


def test_two_workers_build_the_same(since_folders, batch, tmp_path):
    now, q3 = since_folders
    _, out = batch
    result = _build(now, "-o", tmp_path / "out", "--since", q3, jobs=2)
    assert result.exit_code == 0, result.output
    for folder in (HARBOR, ACME, ORION):
        mine, theirs = outputs(tmp_path / "out" / folder), outputs(out / folder)
        for suffix in mine:
            assert _content(mine[suffix]) == _content(theirs[suffix]), (folder, suffix)
    assert "1 earlier file not usable:" in result.stdout


def test_the_outcome_carries_how_each_plan_was_matched(since_folders, tmp_path):
    now, q3 = since_folders
    runs = []
    outcomes = build_many([now], tmp_path / "out", NEW_AS_OF, jobs=1, since=q3, on_since=runs.append)
    by_account = {o.account: o.since for o in outcomes}
    assert by_account["Harbor Line Logistics"].earlier == str(q3 / "harbor-2026-11-02.xlsx")
    assert by_account["Harbor Line Logistics"].versions == 2
    assert by_account["Orion Retail GmbH"].status == "new" and not by_account["Orion Retail GmbH"].earlier
    run, = runs
    assert run.earlier == 3 and [r.file for r in run.refused] == [str(q3 / "broken.xlsx")]
    plain = build_many([now], tmp_path / "plain", NEW_AS_OF, jobs=1)
    assert all(o.since is None for o in plain)


def test_a_plan_is_never_its_own_earlier_version(since_folders, tmp_path):
    now, _ = since_folders
    result = _build(now, "-o", tmp_path / "out", "--since", now)
    assert result.exit_code == 0, result.output
    assert f"since {now} (3 earlier plans): 0 with an earlier version, 3 new" in result.stdout.splitlines()
    assert CHANGES_SHEET not in openpyxl.load_workbook(outputs(tmp_path / "out" / HARBOR)[".xlsx"]).sheetnames


def test_several_plans_with_a_file_for_since_is_a_usage_error(since_folders, tmp_path):
    now, q3 = since_folders
    result = _build(now, "-o", tmp_path / "out", "--since", q3 / "acme-q3.xlsx")
    assert result.exit_code == 2
    assert "give DIR, a folder" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_one_plan_with_a_folder_for_since_is_matched_there(since_folders, alone, tmp_path):
    now, q3 = since_folders
    result = _build(now / "harbor.xlsx", "-o", tmp_path / "harbor", "--since", q3)
    assert result.exit_code == 0, result.output
    assert f"{now / 'harbor.xlsx'}: since {q3 / 'harbor-2026-11-02.xlsx'}, the latest of 2 earlier versions" \
        in result.stdout.splitlines()
    assert "1 earlier file not usable:" in result.stdout
    mine, theirs = outputs(tmp_path / "harbor"), outputs(alone / HARBOR)
    for suffix in mine:
        assert _content(mine[suffix]) == _content(theirs[suffix]), suffix
    result = _build(now / "orion.xlsx", "-o", tmp_path / "orion", "--since", q3)
    assert result.exit_code == 0, result.output
    assert f"{now / 'orion.xlsx'}: New since last review" in result.stdout.splitlines()
    assert CHANGES_SHEET not in openpyxl.load_workbook(outputs(tmp_path / "orion")[".xlsx"]).sheetnames


def test_one_plan_that_cannot_be_read_is_refused_as_without_since(since_folders, tmp_path):
    _, q3 = since_folders
    assert earlier_of(q3 / "broken.xlsx", q3) == (None, None)
    result = _build(q3 / "broken.xlsx", "-o", tmp_path / "out", "--since", q3)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_on_a_dask_cluster_each_plan_travels_with_its_earlier_version_and_gives_the_same(since_folders, batch,
                                                                                           tmp_path, monkeypatch):
    """The workers have no files: each plan and its earlier version go as bytes (scattered beside the task
    here, as large files are), and the outputs are the local pool's, byte for byte."""
    distributed = pytest.importorskip("distributed")
    from generator import cluster

    now, q3 = since_folders
    _, out = batch
    monkeypatch.setattr(cluster, "INLINE_BYTES", 0)
    runs = []
    with distributed.LocalCluster(**cluster.local_cluster(1)) as here, \
            distributed.Client(here, set_as_default=False) as client:
        outcomes = build_many([now], tmp_path / "out", NEW_AS_OF, scheduler=client, since=q3, on_since=runs.append)
    assert [o.exit_code for o in outcomes] == [0, 0, 0]
    assert {o.account: o.since.earlier for o in outcomes} == {
        "ACME Ltd": str(q3 / "acme-q3.xlsx"), "Harbor Line Logistics": str(q3 / "harbor-2026-11-02.xlsx"),
        "Orion Retail GmbH": ""}
    assert [r.file for r in runs[0].refused] == [str(q3 / "broken.xlsx")]
    for folder in (HARBOR, ACME, ORION):
        mine, theirs = outputs(tmp_path / "out" / folder), outputs(out / folder)
        for suffix in mine:
            assert mine[suffix].read_bytes() == theirs[suffix].read_bytes(), (folder, suffix)


def test_the_progress_hears_each_plan_checked_and_each_earlier_plan_read_before_the_builds(since_folders, tmp_path):
    """`on_step`: every plan is read whole before any is built, and DIR's plans are read after that, so the
    progress bar hears both stages, one step a file, and then the builds with the plans done so far."""
    now, q3 = since_folders
    steps, done = [], []
    outcomes = build_many([now], tmp_path / "out", NEW_AS_OF, jobs=1, since=q3,
                          on_step=lambda *step: steps.append(step),
                          on_progress=lambda d, total, outcome: done.append((d, total, outcome is None)))
    plans, earlier = len(outcomes), len(list(q3.glob("*.xlsx")))
    assert [s for s in steps if s[0] == "checking"] == [("checking", k, plans) for k in range(plans + 1)]
    assert [s for s in steps if s[0] == "reading the last review"] == \
        [("reading the last review", k, earlier) for k in range(earlier + 1)]
    assert steps[-1] == ("building", 0, plans)                       # no plan of `now` is refused
    stages = [s[0] for s in steps]
    assert stages.index("reading the last review") > max(i for i, s in enumerate(stages) if s == "checking")
    assert done[-1] == (plans, plans, False)


def test_on_a_terminal_the_bar_shows_the_stage_then_the_builds():
    import io

    from generator.batch import PlanOutcome
    from generator.batch_report import Reporter

    stream = io.StringIO()
    with Reporter("building", terminal=True, stream=stream) as progress:
        progress(0, 3, None)
        progress.step("checking", 0, 3)
        progress.step("checking", 2, 3)
        progress(1, 3, PlanOutcome("b.xlsx", reason="b.xlsx: nope", exit_code=2))   # refused as it is checked
        task = progress._progress.tasks[0]
        assert (task.description, task.completed, task.total, task.fields["failed"]) == ("Checking", 2, 3, 1)
        progress.step("reading the last review", 4, 5)
        assert (task.description, task.completed, task.total) == ("Reading the last review", 4, 5)
        progress.step("building", 1, 3)
        progress(2, 3, PlanOutcome("a.xlsx", "A", "out/a", ("out/a/a-review.pptx",)))
        assert (task.description, task.completed, task.total) == ("Building", 2, 3)
    assert "Building" in stream.getvalue() and "2/3" in stream.getvalue() and "1 failed" in stream.getvalue()


def test_one_plan_with_a_folder_for_since_is_read_once(since_folders, tmp_path, monkeypatch):
    """`build FILE --since DIR` matches by the account name its build has just read (`pipeline.build` with
    `since` a function of the checked plan): the plan is read once, its earlier version once more for the
    diff after DIR's plans are read for their names."""
    from generator.plan import reader

    now, q3 = since_folders
    read, real = [], reader.read_plan
    monkeypatch.setattr(reader, "read_plan", lambda source, *a, **k: (read.append(str(source)), real(source, *a, **k))[1])
    result = _build(now / "harbor.xlsx", "-o", tmp_path / "harbor", "--since", q3)
    assert result.exit_code == 0, result.output
    assert read.count(str(now / "harbor.xlsx")) == 1
    assert read.count(str(q3 / "harbor-2026-11-02.xlsx")) == 2          # its name, then its figures for the diff
