"""`accountplan build` end to end: files named from the account (one set per account), atomic writes that
survive a kill, all three outputs or none, modes from the umask, two builds at once, refusals, the
fix-and-rebuild loop, a reader that goes away, and the same figure in all three outputs."""
import datetime as dt
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data, many_opportunities_data
from docx import Document
from outputs import deck_text, document_text, slide_text
from pptx import Presentation
from workbooks import write_plan

from generator import fmt, pipeline
from generator.cli import main
from generator.errors import OutputError
from generator.pipeline import build, check

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
    assert fmt.slug("com¹") == "com¹-account"
    assert fmt.slug('a<b>c:d"e/f\\g|h?i*j\x01k\u202el') == "a-b-c-d-e-f-g-h-i-j-k-l"
    assert fmt.slug("..") == fmt.slug("") == fmt.slug("★") == "account"
    assert len(fmt.slug("x" * 500)) <= 60


def test_file_names_keep_the_accounts_letters():
    assert fmt.slug("Zürich Ōsaka & Co.") == "zürich-ōsaka-co"
    assert fmt.slug("港湾物流") == "港湾物流" and fmt.slug("北京银行") == "北京银行"
    assert fmt.slug("Café Ltd") == "café-ltd" != fmt.slug("Cafe Ltd") == "cafe-ltd"
    assert fmt.slug("Cafe\u0301 Ltd") == "café-ltd"                        # decomposed: NFC first
    assert fmt.slug("हिन्दी कंपनी") == "हिन्दी-कंपनी"                          # vowel signs stay on their letters
    assert fmt.slug("ACME Ltd") == fmt.slug("Acme  ltd.") == "acme-ltd"


@pytest.mark.parametrize("name", ["港" * 300, "é" * 300, "e\u0301" * 300, "x" * 300, "𝔸" * 300])
def test_file_names_stay_under_the_file_systems_limit(name):
    stem = fmt.slug(name)
    longest = f".{stem}-plan-checked.xlsx.abcdefgh.tmp"        # the temporary file beside the output
    assert len(stem) <= 60 and len(longest.encode()) < 255
    assert unicodedata.normalize("NFC", stem) == stem


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



# Modes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)],
                         ids=["umask-022", "umask-002", "umask-077"])
def test_outputs_get_the_mode_the_umask_gives_a_new_file(harbor_file, tmp_path, umask, mode):
    pipeline._umask_by_setting.cache_clear()
    old = os.umask(umask)
    try:
        _, written = build(harbor_file, tmp_path / "out", AS_OF)
    finally:
        os.umask(old)
        pipeline._umask_by_setting.cache_clear()
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [mode] * 3
    assert all(opens(p) for p in written)


def test_the_umask_is_read_without_changing_it():
    old = os.umask(0o027)
    try:
        assert pipeline.current_umask() == 0o027
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)


# Folders that cannot be written --------------------------------------------------------------------

def _build_cli(source: Path, out: Path, *more: str):
    return CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--as-of", AS_OF.isoformat(), *more])


def _one_line(result, *needles: str) -> bool:
    lines = result.stderr.strip().splitlines()
    return len(lines) == 1 and "Traceback" not in result.stderr and all(n in lines[0] for n in needles)


def test_an_output_folder_under_a_file_is_refused_in_one_line(harbor_file, tmp_path):
    out = harbor_file / "out"                         # a real ENOTDIR, whoever runs the tests
    result = _build_cli(harbor_file, out)
    assert result.exit_code == 3 and _one_line(result, str(out))


@contextmanager
def _unwritable(folder: Path, how: str):
    """Make `folder` refuse new files for real: chmod for a user; root ignores modes, so the
    immutable attribute (chattr +i) where the file system has it."""
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder")
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if os.geteuid() != 0 or not shutil.which("chattr"):
        pytest.skip("only root can make a folder immutable")
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("how", ["chmod", "immutable"])
def test_a_folder_that_cannot_be_written_is_refused_in_one_line(harbor_file, tmp_path, how):
    out = tmp_path / "locked"
    out.mkdir()
    with _unwritable(out, how):
        result = _build_cli(harbor_file, out)
        assert result.exit_code == 3, result.output
        assert _one_line(result, str(out), "cannot write into this folder")
        assert list(out.iterdir()) == []


# All or nothing ------------------------------------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a folder, hidden ones included: its bytes and its inode (a rename makes a new one)."""
    return {p.name: (p.read_bytes(), p.stat().st_ino) for p in sorted(folder.iterdir())}


def test_a_refusal_part_way_changes_nothing(harbor_file, tmp_path):
    out = tmp_path / "out"
    _, written = build(harbor_file, out, AS_OF)
    document = Document(written[1])                   # the plan document, re-saved by Word
    document.core_properties.last_modified_by = "Dana Whitfield"
    document.save(written[1])
    before = _snapshot(out)
    result = _build_cli(harbor_file, out, "--as-of", "2026-12-01")   # a later date: other bytes
    assert result.exit_code == 3 and _one_line(result, str(written[1]), "not written by accountplan")
    assert result.stdout == ""
    assert _snapshot(out) == before                   # the deck before it is untouched, no temporary left


def test_a_failure_while_rendering_leaves_the_previous_set_and_no_temporary(harbor_file, tmp_path, monkeypatch):
    import generator.render.checked

    out = tmp_path / "out"
    build(harbor_file, out, AS_OF)
    before = _snapshot(out)

    def disk_full(view, kit, path, source=None, in_place=False):
        Path(path).write_bytes(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(generator.render.checked, "render", disk_full)
    with pytest.raises(OutputError, match="No space left"):
        build(harbor_file, out, dt.date(2026, 12, 1))
    assert _snapshot(out) == before


# File names of different accounts ------------------------------------------------------------------

def _account(tmp_path: Path, name: str) -> Path:
    data = harbor_data()
    data["fields"]["account_name"] = name
    return write_plan(data, tmp_path / f"plan-{len(list(tmp_path.glob('plan-*')))}.xlsx")


def _recorded_title(path: Path) -> str:
    return pipeline._core_properties(path)["title"]


@pytest.mark.parametrize("first, second", [("港湾物流", "北京银行"), ("Café Ltd", "Cafe Ltd")])
def test_two_accounts_in_one_folder_get_their_own_files(tmp_path, first, second):
    out = tmp_path / "out"
    for name in (first, second):
        result = _build_cli(_account(tmp_path, name), out)
        assert result.exit_code == 0, result.output
    assert len(finals(out)) == 6
    for name in (first, second):
        stem = fmt.slug(name)
        deck, document, workbook = (out / f"{stem}{suffix}" for suffix, _ in pipeline.OUTPUTS.values())
        assert name in slide_text(Presentation(deck).slides[0])
        assert Document(document).core_properties.title == name
        assert openpyxl.load_workbook(workbook).properties.title == name
        assert {_recorded_title(p) for p in (deck, document, workbook)} == {name}


def test_a_second_account_with_the_same_file_names_is_refused(tmp_path):
    out = tmp_path / "out"
    assert _build_cli(_account(tmp_path, "ACME Ltd"), out).exit_code == 0
    before = _snapshot(out)
    result = _build_cli(_account(tmp_path, "Acme  ltd."), out)
    assert result.exit_code == 3
    assert _one_line(result, f"{out / 'acme-ltd-review.pptx'}: holds the plan of 'ACME Ltd'", "choose another folder")
    assert _snapshot(out) == before
    again = _build_cli(_account(tmp_path, "ACME Ltd"), out, "--as-of", "2026-12-01")   # the same account: replaced
    assert again.exit_code == 0 and _snapshot(out).keys() == before.keys() and _snapshot(out) != before


# Fix and rebuild -----------------------------------------------------------------------------------

def _same_plan(a, b) -> bool:
    rows = lambda plan: {table: [[getattr(row, attr) for attr in row.places] for row in rows]  # noqa: E731
                         for table, rows in plan.lists.items()}
    return a.figures == b.figures and a.plan.fields == b.plan.fields and rows(a.plan) == rows(b.plan)


def test_the_fix_and_rebuild_loop_updates_the_checked_workbook_in_place(tmp_path):
    source = Path(__file__).resolve().parent.parent / "samples" / "cobalt-ridge-health.xlsx"
    out = tmp_path / "output"
    first = check(source, AS_OF)
    assert _build_cli(source, out).exit_code == 1
    checked = out / "cobalt-ridge-health-plan-checked.xlsx"
    for day in (26, 27):                                        # the README's loop, twice
        before = _snapshot(out)
        result = _build_cli(checked, out, "--as-of", f"2026-11-{day}")
        assert result.exit_code == 1, result.output
        assert result.stdout.splitlines()[:3] == [f"wrote {out / name}" for name in sorted(before, reverse=True)]
        assert finals(out) == sorted(out / name for name in before)
        assert all(_snapshot(out)[name][1] != before[name][1] for name in before)   # all three rewritten
        assert all(opens(p) for p in finals(out))
        assert _same_plan(check(checked, AS_OF), first)
    assert _same_plan(check(source, AS_OF), first)              # the file the rep first gave: unchanged


def test_a_checked_workbook_fixed_and_saved_by_the_rep_is_rebuilt_in_place(harbor_file, tmp_path):
    out = tmp_path / "output"
    _, written = build(harbor_file, out, AS_OF)
    checked = written[2]
    workbook = openpyxl.load_workbook(checked)                  # the rep fixes a cell in Excel and saves
    (sheet, cell), = workbook.defined_names["annual_target"].destinations
    workbook[sheet][cell.replace("$", "")].value = 3_000_000
    workbook.properties.lastModifiedBy = "Dana Whitfield"
    workbook.save(checked)
    result = _build_cli(checked, out)
    assert result.exit_code == 0, result.output
    assert check(checked, AS_OF).figures.annual_target == 3_000_000
    assert pipeline._core_properties(checked)["lastModifiedBy"] == "accountplan"
    assert fmt.money(3_000_000, "USD") in deck_text(written[0])


def test_the_reps_own_workbook_is_never_written_over(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    theirs = write_plan(harbor_data(), out / "harbor-line-logistics-plan-checked.xlsx")   # named like ours
    before = theirs.read_bytes()
    result = _build_cli(theirs, out)
    assert result.exit_code == 3 and _one_line(result, str(theirs), "refusing to write over the input file")
    assert theirs.read_bytes() == before and finals(out) == [theirs]


# A reader that goes away ---------------------------------------------------------------------------

ACCOUNTPLAN = [sys.executable, "-m", "generator.cli"]


def _complete_set(out: Path) -> bool:
    return [p.name for p in finals(out)] == NAMES and all(opens(p) for p in finals(out))


def test_build_piped_into_head_writes_every_output(harbor_file, tmp_path):
    out = tmp_path / "out"
    build_process = subprocess.Popen([*ACCOUNTPLAN, "build", str(harbor_file), "-o", str(out), "--as-of", "2026-11-25"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.Popen(["head", "-1"], stdin=build_process.stdout, stdout=subprocess.PIPE)
    build_process.stdout.close()                                # only head reads it now
    first_line, _ = head.communicate(timeout=120)
    err = build_process.stderr.read()
    build_process.stderr.close()
    assert build_process.wait(timeout=120) == 0, err
    assert err == b""
    assert first_line.decode().startswith("wrote ")
    assert _complete_set(out)


@pytest.mark.parametrize("redirect", ["reader-gone", "closed"])
def test_a_broken_or_closed_standard_output_never_stops_the_build(harbor_file, tmp_path, redirect):
    out = tmp_path / "out"
    command = [*ACCOUNTPLAN, "build", str(harbor_file), "-o", str(out), "--as-of", "2026-11-25"]
    if redirect == "reader-gone":                               # `| true`: nobody reads, from the first line
        reading, writing = os.pipe()
        os.close(reading)
        try:
            done = subprocess.run(command, stdout=writing, stderr=subprocess.PIPE, timeout=120)
        finally:
            os.close(writing)
    else:                                                       # `>&-`
        done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *command], stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert _complete_set(out)


# The checked workbook made in the reader's own workbook -----------------------------------------------

@pytest.mark.parametrize("sample", ["harbor-line-logistics.xlsx", "cobalt-ridge-health.xlsx"])
def test_build_makes_the_checked_workbook_in_the_workbook_read_with_the_same_bytes_as_a_copy(sample, tmp_path):
    """`build` reads the workbook no more once the checked copy is made, so it makes it in the workbook it
    read (no copy written out and read back); the bytes are those of the copy, and the checks of what may be
    written over still see the sheets as read."""
    source = Path(__file__).resolve().parent.parent / "samples" / sample
    result, paths = pipeline.build(source, tmp_path / "built", AS_OF)
    assert result.sheets_read == tuple(openpyxl.load_workbook(source).sheetnames)
    assert "_accountplan_flags" in result.plan.workbook.sheetnames        # the workbook read became the copy
    fresh = pipeline.check(source, AS_OF)
    copy = tmp_path / "copy.xlsx"
    pipeline.render("workbook", fresh, pipeline.view_of(fresh), pipeline.default_kit(), copy)
    assert "_accountplan_flags" not in fresh.plan.workbook.sheetnames      # a copy: the workbook read unchanged
    assert copy.read_bytes() == paths[2].read_bytes()
