"""The command line: exact messages, the contract's JSON shape key by key, and exit codes."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import harbor_data
from workbooks import write_plan

from generator.cli import main
from generator.plan.template import write_template

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = ["--as-of", "2026-11-25"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def cobalt_json():
    result = run("validate", SAMPLES / "cobalt-ridge-health.xlsx", "--json", *AS_OF)
    assert result.exit_code == 1
    return json.loads(result.stdout)


def test_json_report_has_exactly_the_contracts_keys(cobalt_json):
    report = cobalt_json
    assert list(report) == ["plan", "figures", "findings"]
    assert list(report["plan"]) == ["file", "account_name", "template_version", "as_of"]
    assert set(report["figures"]) == {
        "position", "secured", "forecast", "pipeline", "prospect", "weighted_open", "gap_to_target",
        "uncovered_gap", "pipeline_coverage", "growth_vs_prior", "whitespace_open", "readiness",
        "stage_coverage", "exposed_stages", "actions", "completeness"}
    assert set(report["figures"]["actions"]) == {"open", "done", "blocked", "overdue", "due_soon"}
    assert set(report["figures"]["completeness"]) == {"overall", "sections", "missing", "incomplete"}
    for finding in report["findings"]:
        assert list(finding) == ["code", "severity", "section", "sheet", "cell", "message", "hint"]
        assert finding["severity"] in ("error", "warning", "info")


def test_json_report_values_of_the_half_filled_sample(cobalt_json):
    plan, figures = cobalt_json["plan"], cobalt_json["figures"]
    assert plan == {"file": str(SAMPLES / "cobalt-ridge-health.xlsx"), "account_name": "Cobalt Ridge Health",
                    "template_version": "1.0", "as_of": "2026-11-25"}
    assert figures["position"] == "Target"
    assert figures["secured"] == 300000 and isinstance(figures["secured"], int)
    assert figures["gap_to_target"] == 900000
    assert figures["growth_vs_prior"] is None                      # no prior year: null
    assert figures["readiness"] == 0.1                             # Partly on 1 of 5: (0.5) / 5
    assert figures["exposed_stages"] == ["Purchase decision"]
    assert figures["stage_coverage"]["Purchase decision"] == {"Detractor": ["Poor"]}
    assert figures["actions"] == {"open": 2, "done": 0, "blocked": 0, "overdue": 1, "due_soon": 0}
    assert 0 < figures["completeness"]["overall"] < 1
    assert "Competition" in figures["completeness"]["missing"]
    stage = next(f for f in cobalt_json["findings"] if f["code"] == "choice-invalid")
    assert (stage["sheet"], stage["cell"], stage["section"]) == ("Path to number", "D10", "Path to the number")


def test_validate_complete_sample_exits_0_with_a_summary_line():
    result = run("validate", SAMPLES / "harbor-line-logistics.xlsx", *AS_OF)
    assert result.exit_code == 0
    assert "No findings" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "100% complete · gap to target $1,450,000 · 0 errors, 0 warnings"


def test_validate_text_report_groups_by_section_and_names_cells():
    result = run("validate", SAMPLES / "cobalt-ridge-health.xlsx", *AS_OF)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines.index("Path to the number") < lines.index("Action plan")
    assert any("Path to number!D10" in line and "'Won'" in line for line in lines)
    assert lines[-1].endswith("2 errors, 19 warnings")


def test_strict_makes_warnings_count(tmp_path):
    data = harbor_data()
    data["fields"]["objective_sponsor"] = "Nobody"
    path = write_plan(data, tmp_path / "p.xlsx")
    assert run("validate", path, *AS_OF).exit_code == 0
    assert run("validate", path, "--strict", *AS_OF).exit_code == 1


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "No such file"),
    (lambda p: (p.write_text("name,value\n"), p)[1], "not an Excel workbook"),
])
def test_unusable_files_get_one_line_and_exit_2(tmp_path, make, message):
    path = make(tmp_path / "plan.xlsx")
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_not_an_account_plan_is_said_plainly(tmp_path):
    openpyxl.Workbook().save(tmp_path / "budget.xlsx")
    result = run("validate", tmp_path / "budget.xlsx")
    assert result.exit_code == 2
    assert "this is not an account plan" in result.stderr


def test_bad_as_of_is_a_usage_error():
    result = run("validate", SAMPLES / "harbor-line-logistics.xlsx", "--as-of", "next week")
    assert result.exit_code == 2 and "not a date like 2027-01-15" in result.stderr


def test_new_template_writes_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "plan.xlsx"
    first = run("new-template", "-o", target)
    assert first.exit_code == 0 and target.exists()
    again = run("new-template", "-o", target)
    assert again.exit_code == 3 and "already exists" in again.stderr
    assert run("new-template", "-o", target, "--force").exit_code == 0


def test_new_template_gets_the_mode_the_umask_gives_a_new_file(tmp_path):
    from generator import pipeline

    pipeline._umask_by_setting.cache_clear()
    old = os.umask(0o002)
    try:
        assert run("new-template", "-o", tmp_path / "plan.xlsx").exit_code == 0
    finally:
        os.umask(old)
        pipeline._umask_by_setting.cache_clear()
    assert stat.S_IMODE((tmp_path / "plan.xlsx").stat().st_mode) == 0o664


def test_new_template_where_no_folder_can_be_is_exit_3_in_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    target = tmp_path / "notes.txt" / "plan.xlsx"
    result = run("new-template", "-o", target)
    assert result.exit_code == 3
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert str(tmp_path / "notes.txt") in result.stderr


def test_a_reader_that_goes_away_gets_a_quiet_exit_not_an_internal_error():
    reading, writing = os.pipe()
    os.close(reading)                     # `accountplan validate ... | true`
    try:
        done = subprocess.run([sys.executable, "-m", "generator.cli", "validate",
                               str(SAMPLES / "cobalt-ridge-health.xlsx"), *AS_OF],
                              stdout=writing, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(writing)
    assert done.stderr == b""
    assert done.returncode == 141


def test_blank_template_validates_with_no_error(tmp_path):
    result = run("validate", write_template(tmp_path / "blank.xlsx"), "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {f["code"] for f in report["findings"]} == {"section-missing"}
    assert report["figures"]["completeness"]["overall"] == 0


def test_samples_command_writes_both_samples(tmp_path):
    result = run("samples", "-o", tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cobalt-ridge-health.xlsx", "harbor-line-logistics.xlsx"]


def test_debug_shows_the_trace_instead_of_one_line(tmp_path):
    missing = tmp_path / "nowhere.xlsx"
    quiet = run("validate", missing)
    assert quiet.exit_code == 2 and quiet.exception.__class__ is SystemExit
    loud = CliRunner().invoke(main, ["--debug", "validate", str(missing)])
    assert type(loud.exception).__name__ == "FileMissingError"


def test_the_command_line_starts_without_the_rendering_libraries():
    """Importing the CLI (and `--help`) imports none of python-pptx, python-docx, Jinja, Rich or Babel: each
    is imported by the code that uses it, so `--help` and `validate` start light. In a fresh interpreter,
    where nothing else has imported them."""
    heavy = ("pptx", "docx", "jinja2", "rich", "babel")
    code = ("import sys\nfrom generator.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print(sorted(name for name in sys.modules if name.split('.')[0] in {heavy!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=SAMPLES.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("kit", [(), ("--kit", "kits/northwind")])
@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_validate_imports_no_rendering_library_nor_babel_for_a_plan_in_a_contract_currency(json_flag, kit):
    """`validate` (text or JSON) of a plan in one of the contract's currencies reads and reports it without
    python-pptx, python-docx, Jinja, Rich or Babel (`fmt.ENGLISH_CONVENTIONS` knows its money); in a kit with
    its own deck.pptx and document.docx too (the deck's theme is read from its parts)."""
    heavy = ("pptx", "docx", "jinja2", "rich", "babel")
    args = ["validate", str(SAMPLES / "harbor-line-logistics.xlsx"), *json_flag, *AS_OF, *kit]
    code = (f"import sys\nfrom generator.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(name for name in sys.modules if name.split('.')[0] in {heavy!r}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=SAMPLES.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_validate_leaves_the_collector_as_it_found_it():
    """`validate` reads with Python's collector at rest (`pipeline.collector_paused`), and a caller in the
    same process (the tests, a notebook) gets it back on, with nothing of the plan left frozen."""
    import gc

    result = run("validate", SAMPLES / "harbor-line-logistics.xlsx", *AS_OF)
    assert result.exit_code == 0 and "Harbor Line" in result.output
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_program_spares_python_its_last_sweep_after_every_other_exit_handler():
    """`accountplan` (`cli.run`) freezes what is alive as the process ends, after the exit handlers that were
    there before it (they run last-registered first): here one of them still sees the collector unfrozen,
    and one registered before `run` sees the freeze."""
    code = ("import atexit, gc\n"
            "atexit.register(lambda: print('frozen at the end:', gc.get_freeze_count() > 0))\n"
            "from generator.cli import run\n"
            "try:\n    run(['validate', {plan!r}, '--as-of', '2026-11-25'])\n"
            "except SystemExit as done:\n"
            "    atexit.register(lambda: print('frozen before:', gc.get_freeze_count() > 0))\n"
            "    print('exit', done.code)\n").format(plan=str(SAMPLES / "cobalt-ridge-health.xlsx"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=SAMPLES.parent)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[-3:] == ["exit 1", "frozen before: False", "frozen at the end: True"]
