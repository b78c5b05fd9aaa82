"""`accountplan build` end to end: files named from the account, atomic writes that survive a kill,
two builds at once, refusals, and the same figure in all three outputs."""
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data, many_opportunities_data
from docx import Document
from outputs import deck_text, document_text
from pptx import Presentation
from workbooks import write_plan

from generator import fmt
from generator.cli import main
from generator.pipeline import build

NAMES = ["harbor-line-logistics-plan-checked.xlsx", "harbor-line-logistics-plan.docx",
         "harbor-line-logistics-review.pptx"]


def opens(path: Path) -> bool:
    """The file is complete: it opens in the library that reads its kind."""
    opener = {".pptx": Presentation, ".docx": Document, ".xlsx": openpyxl.load_workbook}[path.suffix]
    opener(path)
    return True


@pytest.fixture
def harbor_file(tmp_path):
    return write_plan(harbor_data(), tmp_path / "harbor.xlsx")


def test_build_writes_three_files_named_from_the_account(harbor_file, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(harbor_file), "-o", str(out), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == NAMES
    assert [line.split()[0] for line in result.stdout.splitlines()[:3]] == ["wrote"] * 3
    assert result.stdout.splitlines()[-1] == "100% complete · gap to target $1,450,000 · 0 errors, 0 warnings"
    assert all(opens(out / name) for name in NAMES)


def test_the_same_figures_appear_in_all_three_outputs(harbor_file, tmp_path):
    result, written = build(harbor_file, tmp_path / "out", AS_OF)
    f = result.figures
    deck, doc_text = deck_text(written[0]), document_text(written[1])
    for value in (f.annual_target, f.secured, f.gap_to_target, f.weighted_open, f.uncovered_gap):
        shown = fmt.money(value, f.currency)
        assert shown in deck and shown in doc_text, shown
    summary = openpyxl.load_workbook(written[2])["Summary"]
    numbers = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, (int, float))]
    for value in (f.secured, f.forecast, f.pipeline, f.prospect, f.gap_to_target, f.weighted_open):
        assert value in numbers


def test_a_plan_with_errors_still_gets_its_outputs_and_exit_1(tmp_path):
    data = harbor_data()
    data["lists"]["Opportunities"][0]["Stage"] = "Won"
    path = write_plan(data, tmp_path / "bad.xlsx")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out"), "--as-of", "2026-11-25"])
    assert result.exit_code == 1
    assert len(list((tmp_path / "out").iterdir())) == 3
    assert result.stdout.splitlines()[-1].endswith("1 error, 0 warnings")


def test_output_folder_that_is_a_file_or_the_input_is_refused(harbor_file):
    result = CliRunner().invoke(main, ["build", str(harbor_file), "-o", str(harbor_file)])
    assert result.exit_code == 3 and "not a folder" in result.stderr


def test_a_file_of_the_same_name_that_is_not_ours_is_not_overwritten(harbor_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / "harbor-line-logistics-review.pptx"
    theirs.write_bytes(b"the rep's own deck")
    result = CliRunner().invoke(main, ["build", str(harbor_file), "-o", str(out)])
    assert result.exit_code == 3 and "not written by accountplan" in result.stderr
    assert theirs.read_bytes() == b"the rep's own deck"


def test_rebuilding_replaces_our_own_outputs(harbor_file, tmp_path):
    build(harbor_file, tmp_path / "out", AS_OF)
    _, written = build(harbor_file, tmp_path / "out", AS_OF)
    assert all(opens(p) for p in written)


def test_file_names_are_safe_whatever_the_account_name():
    assert fmt.slug("../../etc/passwd") == "etc-passwd"
    assert fmt.slug("CON") == "con-account"
    assert fmt.slug("Zürich Ōsaka & Co.") == "zurich-osaka-co"
    assert fmt.slug("北京") == "account"
    assert len(fmt.slug("x" * 500)) <= 60


BUILD = [sys.executable, "-m", "generator.cli", "build"]


def _spawn(source: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(BUILD + [str(source), "-o", str(out), "--as-of", "2026-11-25"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_while_writing(source: Path, out: Path, delay: float) -> bool:
    """Start a build, kill it `delay` seconds after its first temporary file appears; True if it was
    killed while writing (False if it finished first)."""
    process = _spawn(source, out)
    killed = False
    while process.poll() is None:
        if out.exists() and any(p.name.endswith(".tmp") for p in out.iterdir()):
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            killed = True
            break
    process.wait()
    process.stderr.close()
    return killed and process.returncode == -signal.SIGKILL


def finals(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []


def test_a_first_build_killed_while_writing_leaves_complete_outputs_or_none(tmp_path):
    source = write_plan(many_opportunities_data(300), tmp_path / "big.xlsx")
    killed = 0
    for attempt in range(4):
        out = tmp_path / f"out{attempt}"
        killed += _kill_while_writing(source, out, 0.05 * attempt)
        assert all(opens(p) for p in finals(out))        # never a truncated output
    assert killed >= 1


def test_a_rebuild_killed_while_writing_leaves_the_previous_complete_outputs(tmp_path):
    source = write_plan(many_opportunities_data(300), tmp_path / "big.xlsx")
    out = tmp_path / "out"
    build(source, out, AS_OF)
    killed = 0
    for attempt in range(6):
        killed += _kill_while_writing(source, out, 0.08 * attempt)   # later and later: deck, document, workbook
        assert [p.name for p in finals(out)] == NAMES
        assert all(opens(p) for p in finals(out))
    assert killed >= 1


def test_two_builds_into_one_folder_at_once_leave_complete_files(tmp_path):
    source = write_plan(harbor_data(), tmp_path / "harbor.xlsx")
    out = tmp_path / "out"
    processes = [_spawn(source, out) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert sorted(p.name for p in out.iterdir()) == NAMES
    assert all(opens(out / name) for name in NAMES)


def test_outputs_are_deterministic_in_content(harbor_file, tmp_path):
    _, first = build(harbor_file, tmp_path / "a", AS_OF)
    _, second = build(harbor_file, tmp_path / "b", AS_OF)
    for a, b in zip(first, second):
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            assert sorted(za.namelist()) == sorted(zb.namelist())
            for name in za.namelist():
                assert za.read(name) == zb.read(name), f"{a.name}:{name}"


def test_build_never_modifies_its_input(harbor_file, tmp_path):
    import hashlib

    before = hashlib.sha256(harbor_file.read_bytes()).hexdigest()
    build(harbor_file, tmp_path / "out", AS_OF)
    assert hashlib.sha256(harbor_file.read_bytes()).hexdigest() == before
