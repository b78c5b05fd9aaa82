"""`accountplan build PATH... --pdf`: PDFs of every built plan's deck and document, each beside its own file,
made in few LibreOffice runs; a plan that could not be used gets none; without LibreOffice one line says how
to install it and every other output stands."""
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import AS_OF, harbor_data, needs_libreoffice
from pptx import Presentation
from workbooks import write_plan

from generator.cli import main
from generator.render import pdf


def _plans(root: Path) -> Path:
    plans = root / "plans"
    plans.mkdir()
    write_plan(harbor_data(), plans / "harbor.xlsx")
    data = harbor_data()
    data["fields"]["account_name"] = "Blue Fjord Energy"
    write_plan(data, plans / "blue-fjord.xlsx")
    (plans / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    return plans


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


@needs_libreoffice
def test_a_batch_with_pdf_writes_both_pdfs_beside_each_plans_outputs(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(_plans(tmp_path)), "-o", str(out), "--pdf", "--jobs", "1",
                                       "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 2, result.output            # the file that is not a workbook
    assert "making PDFs of 2 plans with LibreOffice" in result.output
    for folder, account in (("harbor-line-logistics", "Harbor Line Logistics"),
                            ("blue-fjord-energy", "Blue Fjord Energy")):
        deck, document = out / folder / f"{folder}-review.pdf", out / folder / f"{folder}-plan.pdf"
        assert _pages(deck) == len(Presentation(str(out / folder / f"{folder}-review.pptx")).slides)
        for path in (deck, document):
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
            assert account in text
        assert f"{folder}-review.pdf" in result.output                 # listed with the plan's outputs
    assert not [p for p in out.rglob(".*")]                            # no temporaries left


def test_a_batch_without_libreoffice_says_so_once_and_writes_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_libreoffice", lambda: None)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(_plans(tmp_path)), "-o", str(out), "--pdf", "--jobs", "1",
                                       "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 2, result.output
    notes = [line for line in result.stderr.splitlines() if "LibreOffice" in line]
    assert len(notes) == 1 and "apt-get install libreoffice-impress-nogui" in notes[0]
    assert sorted(p.name for p in (out / "harbor-line-logistics").iterdir()) == [
        "harbor-line-logistics-plan-checked.xlsx", "harbor-line-logistics-plan.docx",
        "harbor-line-logistics-review.pptx"]


def test_runs_take_a_bounded_number_of_files_and_never_one_name_twice():
    files = [[Path(f"a{i}/x-review.pptx"), Path(f"a{i}/x-plan.docx")] if i % 5 == 0 else
             [Path(f"p{i}/p{i}-review.pptx"), Path(f"p{i}/p{i}-plan.docx")] for i in range(30)]
    runs = pdf._runs(files)
    assert sorted(i for run in runs for i in run) == list(range(30))         # every plan, once, in order
    for run in runs:
        names = [pdf.pdf_name(path) for i in run for path in files[i]]
        assert len(names) <= pdf.FILES_PER_RUN and len(set(names)) == len(names)


def test_a_run_spoilt_by_one_plan_is_retried_plan_by_plan(tmp_path, monkeypatch):
    """A fake LibreOffice that converts every file but one: the others still get their PDFs."""
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n"
                    "out=''; prev=''\n"
                    "for a in \"$@\"; do\n"
                    "  if [ \"$prev\" = --outdir ]; then out=$a; fi\n"
                    "  case $a in *.pptx|*.docx) case $a in *bad*) ;; *) n=$(basename \"$a\"); "
                    "echo '%PDF-1.4' > \"$out/${n%.*}.pdf\";; esac;; esac\n"
                    "  prev=$a\n"
                    "done\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_libreoffice", lambda: str(fake))
    files = []
    for name in ("good", "bad", "fine"):
        (tmp_path / name).mkdir()
        files.append([tmp_path / name / f"{name}-review.pptx", tmp_path / name / f"{name}-plan.docx"])
        for path in files[-1]:
            path.write_bytes(b"x")
    failed = []
    made = pdf.to_pdfs(files, tmp_path, on_failed=lambda paths, error: failed.append(paths[0].parent.name))
    assert [[p.name for p in pdfs] for pdfs in made] == [["good-review.pdf", "good-plan.pdf"], [],
                                                         ["fine-review.pdf", "fine-plan.pdf"]]
    assert failed == ["bad"]
    assert not (tmp_path / "bad" / "bad-review.pdf").exists()
