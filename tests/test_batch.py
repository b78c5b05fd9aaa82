"""`accountplan build PATH...` on many plans: a folder searched (lock files and our own outputs skipped), each
plan into its own folder, colliding accounts both kept, every plan's outcome listed, one bad plan stopping
nothing, the exit code of the worst, plain progress lines off a terminal, and a worker that dies."""
import io
import os
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data
from make_corpus import RECIPES
from pptx import Presentation
from workbooks import core_properties, write_plan

from generator.batch import PlanOutcome, Workers, build_many, choose_folders, exit_code, find_plans
from generator.batch_report import Reporter
from generator.cli import main
from generator.pipeline import build

OUTPUT_SUFFIXES = ("-review.pptx", "-plan.docx", "-plan-checked.xlsx")


def named(name: str, target: float | None = None, currency: str | None = None, data: dict | None = None) -> dict:
    data = data or harbor_data()
    data["fields"]["account_name"] = name
    if target is not None:
        data["fields"]["annual_target"] = target
    if currency:
        data["fields"]["currency"] = currency
    return data


def with_errors(name: str) -> dict:
    data = named(name, 1_000_000)
    data["lists"]["Opportunities"][0]["Stage"] = "Won"          # not a stage: an error
    return data


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Good plans (one in a subfolder), a plan with errors, two accounts that make the same folder name, two
    files that are not plans, an Office lock file and a checked workbook our last build wrote."""
    root = tmp_path_factory.mktemp("batch")
    plans = root / "plans"
    (plans / "east").mkdir(parents=True)
    write_plan(harbor_data(), plans / "harbor.xlsx")
    write_plan(named("ACME Ltd", 1_800_000), plans / "acme.xlsx")
    write_plan(named("Acme  ltd.", 900_000, "EUR"), plans / "east" / "acme-europe.xlsx")
    write_plan(with_errors("Blue Fjord Energy"), plans / "blue-fjord.xlsx")
    (plans / "notes.xlsx").write_text("account notes, not a workbook", encoding="utf-8")
    RECIPES["truncated"].build(plans / "truncated.xlsx")
    shutil.copy(plans / "harbor.xlsx", plans / "~$harbor.xlsx")         # Excel's lock file beside an open book
    _, written = build(plans / "harbor.xlsx", root / "last-run", AS_OF)
    shutil.copy(written[2], plans / "east" / written[2].name)         # our own checked workbook
    return plans


@pytest.fixture(scope="module")
def batch(folder):
    out = folder.parent / "out"
    result = CliRunner().invoke(main, ["build", str(folder), "-o", str(out), "--as-of", AS_OF.isoformat(),
                                       "--jobs", "2"])
    return result, out


def outputs_of(folder):
    return sorted(p.name for p in folder.iterdir())


def test_every_good_plan_gets_its_own_folder_with_its_three_outputs(batch):
    result, out = batch
    assert sorted(p.name for p in out.iterdir()) == ["acme-ltd", "acme-ltd-2", "blue-fjord-energy",
                                                     "harbor-line-logistics"]
    for sub in out.iterdir():
        assert outputs_of(sub) == sorted(f"{sub.name.removesuffix('-2')}{s}" for s in OUTPUT_SUFFIXES)
    deck = Presentation(str(out / "harbor-line-logistics" / "harbor-line-logistics-review.pptx"))
    assert deck.core_properties.title == "Harbor Line Logistics"
    assert "Harbor Line Logistics" in deck.slides[0].shapes.title.text


def test_two_accounts_with_the_same_folder_name_are_both_kept_and_the_collision_reported(batch, folder):
    result, out = batch
    first = core_properties(out / "acme-ltd" / "acme-ltd-review.pptx")["title"]
    second = core_properties(out / "acme-ltd-2" / "acme-ltd-review.pptx")["title"]
    assert {first, second} == {"ACME Ltd", "Acme  ltd."}
    assert first == "ACME Ltd"              # the first found (acme.xlsx before east/acme-europe.xlsx) keeps the name
    assert "'ACME Ltd'" in result.stdout and "written to acme-ltd-2/" in result.stdout


def test_every_plan_is_in_the_table_with_its_outputs_or_its_reason(batch, folder):
    result, out = batch
    text = result.stdout
    for name in ("harbor.xlsx", "acme.xlsx", "acme-europe.xlsx", "blue-fjord.xlsx", "notes.xlsx", "truncated.xlsx"):
        assert name in text, name
    assert "not an Excel workbook" in text                          # notes.xlsx
    assert "damaged or incomplete" in text                          # truncated.xlsx
    assert text.count("not usable") >= 2
    assert "built with errors" in text and "1 error" in text        # blue-fjord.xlsx
    assert "harbor-line-logistics-review.pptx" in text
    assert "6 plans" in text and "4 built (1 with errors), 2 not usable" in text


def test_lock_files_and_our_own_outputs_are_skipped(batch, folder):
    result, out = batch
    assert "~$harbor.xlsx" not in result.stdout
    assert "harbor-line-logistics-plan-checked.xlsx" not in result.stdout.split("Outputs")[0]
    assert "skipped 1 accountplan output, 1 lock file" in result.stdout
    found, skipped = find_plans([folder])
    assert {p.name for p in found} == {"harbor.xlsx", "acme.xlsx", "acme-europe.xlsx", "blue-fjord.xlsx",
                                       "notes.xlsx", "truncated.xlsx"}
    assert sorted(s.why for s in skipped) == ["accountplan output", "lock file"]


def test_an_unusable_file_makes_the_exit_code_2(batch):
    result, _ = batch
    assert result.exit_code == 2, result.output


def test_off_a_terminal_progress_is_one_plain_line_a_plan(batch):
    result, _ = batch
    lines = result.stdout.splitlines()
    assert lines[0] == "building 6 plans"
    progress = [line for line in lines if re.match(r"\[\d/6\] ", line)]
    assert len(progress) == 6
    assert sum("not usable:" in line for line in progress) == 2
    assert "\x1b[" not in result.stdout                              # no colour, no cursor movement


def test_a_plan_with_errors_and_no_unusable_file_is_exit_1_and_all_clean_is_0(tmp_path, folder):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(folder / "harbor.xlsx"), str(folder / "blue-fjord.xlsx"),
                                       "-o", str(out), "--as-of", AS_OF.isoformat(), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["blue-fjord-energy", "harbor-line-logistics"]
    outcomes = build_many([folder / "harbor.xlsx", folder / "acme.xlsx"], tmp_path / "clean", AS_OF, jobs=1)
    assert [o.status for o in outcomes] == ["built", "built"] and exit_code(outcomes) == 0


def test_one_file_still_builds_straight_into_the_folder(folder, tmp_path):
    result = CliRunner().invoke(main, ["build", str(folder / "harbor.xlsx"), "-o", str(tmp_path),
                                       "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"wrote {tmp_path / 'harbor-line-logistics-review.pptx'}"
    assert "building" not in result.stdout


def test_building_again_keeps_each_account_in_its_folder(batch, folder):
    """A second run into the same folder replaces each account's files, whatever the order of the plans."""
    _, out = batch
    outcomes = build_many([folder / "east" / "acme-europe.xlsx", folder / "acme.xlsx"], out, AS_OF, jobs=1)
    assert [(o.account, os.path.basename(o.folder)) for o in outcomes] == [("Acme  ltd.", "acme-ltd-2"),
                                                                          ("ACME Ltd", "acme-ltd")]
    assert all(o.exit_code == 0 for o in outcomes)


def _earlier_output(folder, title: str) -> None:
    """A stand-in for an output an earlier build left: an Office file whose core properties name the account."""
    folder.mkdir(parents=True)
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
            '<cp:lastModifiedBy>accountplan</cp:lastModifiedBy></cp:coreProperties>')
    with zipfile.ZipFile(folder / f"{folder.name}-review.pptx", "w") as archive:
        archive.writestr("docProps/core.xml", core)


def test_folders_are_chosen_in_order_and_an_earlier_owner_keeps_its_own(tmp_path):
    plans = [("a.xlsx", "ACME Ltd", "acme-ltd"), ("b.xlsx", "Acme  ltd.", "acme-ltd"), ("c.xlsx", "ACME Ltd", "acme-ltd")]
    chosen = choose_folders(plans, tmp_path)
    assert [name for name, _ in chosen] == ["acme-ltd", "acme-ltd-2", "acme-ltd-3"]
    assert chosen[0][1] == ""
    assert chosen[1][1] == "'ACME Ltd' (a.xlsx) makes the same folder name: written to acme-ltd-2/"
    assert chosen[2][1] == "the same account as a.xlsx: written to acme-ltd-3/"
    _earlier_output(tmp_path / "acme-ltd", "Acme  ltd.")
    chosen = choose_folders(plans[:2], tmp_path)
    assert [name for name, _ in chosen] == ["acme-ltd-2", "acme-ltd"]
    assert chosen[0][1] == "'Acme  ltd.' (b.xlsx) makes the same folder name: written to acme-ltd-2/"
    _earlier_output(tmp_path / "blue", "Blue Fjord Energy")
    assert choose_folders([("x.xlsx", "Blue  Fjord", "blue")], tmp_path) == [
        ("blue-2", "blue/ holds the outputs of 'Blue Fjord Energy' from an earlier build: written to blue-2/")]


# The pool -----------------------------------------------------------------------------------------

def _square_or_die(n: int) -> int:
    """A task for the pool: dies like a process the out-of-memory killer took, on 3."""
    if n == 3:
        os._exit(9)
    return n * n


def test_a_task_that_kills_its_worker_stops_nothing_else():
    done: dict[int, object] = {}
    with Workers(2, tasks=6) as workers:
        workers.run(_square_or_die, [(n,) for n in range(6)], done.__setitem__, lambda i, why: why)
    assert {i: v for i, v in done.items() if i != 3} == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert "worker process stopped" in done[3]


def test_the_progress_bar_on_a_terminal_counts_plans_and_failures():
    stream = io.StringIO()
    with Reporter("building", terminal=True, stream=stream) as progress:
        progress(0, 3, None)
        progress(1, 3, PlanOutcome("a.xlsx", "A", "out/a", ("out/a/a-review.pptx",)))
        progress(2, 3, PlanOutcome("b.xlsx", reason="b.xlsx: nope", exit_code=2))
    assert progress.failed == 1
    assert "2/3" in stream.getvalue() and "1 failed" in stream.getvalue()
