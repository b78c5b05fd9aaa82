"""A kit's items and brand reach every output: its own fields on their section's slide and in the document and
the checked workbook, its own section on a generic slide, its logo on the covers; `build --pdf` adds PDFs of the
deck and the document through LibreOffice, and says how to install it when it is missing."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data, needs_libreoffice
from outputs import deck_text, document_text, slide_text
from pptx import Presentation

from generator.cli import main
from generator.kit import load_kit
from generator.pipeline import build
from generator.plan.template import write_filled
from generator.render import pdf

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "kits" / "northwind"


@pytest.fixture(scope="module")
def kit():
    return load_kit(NORTHWIND)


def northwind_data() -> dict:
    data = harbor_data()
    data["fields"].update(territory="Gulf Coast", partner_program="Northwind Select")
    data["lists"]["Partners"] = [
        {"Partner": "Contoso Integration", "Role": "Integrator", "Value influenced": 120_000},
        {"Partner": "Fabrikam Freight", "Role": "Referral"},
    ]
    return data


@pytest.fixture
def plan(kit, tmp_path) -> Path:
    return write_filled(northwind_data(), tmp_path / "northwind-plan.xlsx", kit)


def built(plan: Path, kit, out: Path, **options) -> dict[str, Path]:
    _, targets = build(plan, out, AS_OF, kit=kit, **options)
    return {p.name.split("harbor-line-logistics-")[1]: p for p in targets}


def test_the_kits_own_fields_and_section_reach_the_deck_document_and_workbook(plan, kit, tmp_path):
    files = built(plan, kit, tmp_path / "out")
    deck = deck_text(files["review.pptx"])
    for text in ("Territory", "Gulf Coast", "Partner program", "Northwind Select", "Contoso Integration",
                 "Fabrikam Freight", "Integrator", "Value influenced"):
        assert text in deck, text
    document = document_text(files["plan.docx"])
    for text in ("Territory", "Gulf Coast", "Northwind Select", "Partner plan", "Contoso Integration"):
        assert text in document, text
    wb = openpyxl.load_workbook(files["plan-checked.xlsx"])
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"Gulf Coast", "Northwind Select", "Contoso Integration", "Fabrikam Freight"} <= cells


def test_the_cover_shows_the_accounts_own_fields_and_the_logo(plan, kit, tmp_path):
    files = built(plan, kit, tmp_path / "out")
    cover = Presentation(str(files["review.pptx"])).slides[0]
    assert "Gulf Coast" in slide_text(cover) and "Northwind Select" in slide_text(cover)
    logo, = [s for s in cover.shapes if s.name == "Logo"]
    assert logo.left + logo.width <= Presentation(str(files["review.pptx"])).slide_width
    assert logo.top < cover.shapes.title.top                       # top right, above the account's name
    from PIL import Image
    with Image.open(kit.logo) as image:
        assert logo.width / logo.height == pytest.approx(image.width / image.height, rel=0.02)
    with zipfile.ZipFile(files["plan.docx"]) as docx:
        assert any(n.startswith("word/media/") for n in docx.namelist())


def test_without_a_logo_there_is_none(make_plan, tmp_path):
    from generator.kit import default_kit
    from generator.pipeline import assess
    from generator.render import deck
    from outputs import render_output

    render_output(deck, assess(make_plan(harbor_data()), AS_OF), tmp_path / "deck.pptx", default_kit())
    assert not [s for s in Presentation(str(tmp_path / "deck.pptx")).slides[0].shapes if s.name == "Logo"]


def test_the_kits_own_section_gets_a_generic_slide_before_plan_health(plan, kit, tmp_path):
    files = built(plan, kit, tmp_path / "out")
    slides = list(Presentation(str(files["review.pptx"])).slides)
    topics = [slide_text(s) for s in slides]
    at = next(i for i, s in enumerate(slides) if s.shapes.title.text == "Which partners help us win, and what each brings.")
    table, = [s for s in slides[at].shapes if s.has_table]
    assert [c.text for c in table.table.rows[0].cells] == ["Partner", "Role", "Value influenced"]
    assert [c.text for c in table.table.rows[1].cells][:2] == ["Contoso Integration", "Integrator"]
    assert at == len(slides) - 2 and "Plan health" not in topics[at]


def test_a_missing_kit_section_is_on_the_not_ready_slide(kit, tmp_path):
    data = northwind_data()
    del data["lists"]["Partners"]
    files = built(write_filled(data, tmp_path / "plan.xlsx", kit), kit, tmp_path / "out")
    slides = list(Presentation(str(files["review.pptx"])).slides)
    not_ready = [slide_text(s) for s in slides if "NOT READY" in slide_text(s).upper()]
    assert not_ready and "Partner plan" in not_ready[0] and "Partners" in not_ready[0]
    assert not any(s.shapes.title.text.startswith("Which partners") for s in slides)


def test_the_brands_colours_and_fonts_are_in_the_written_files(plan, kit, tmp_path):
    files = built(plan, kit, tmp_path / "out")
    for name in ("review.pptx", "plan.docx"):
        with zipfile.ZipFile(files[name]) as z:
            xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        assert kit.brand.primary.upper().lstrip("#") in xml.upper(), name
        assert "Arial" in xml, name


def test_the_kit_deck_fits_its_slides(plan, kit, tmp_path):
    from test_deck import _assert_table_fits
    from pptx.util import Emu
    from generator.render.deck_parts import frame_height

    prs = Presentation(str(built(plan, kit, tmp_path / "out")["review.pptx"]))
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0 and shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
            if shape.has_text_frame and shape.text_frame.text:
                assert frame_height(shape.text_frame, Emu(shape.width).pt) <= Emu(shape.height).pt + 0.01
            if shape.has_table:
                _assert_table_fits(shape, slide.shapes.title.text)


@needs_libreoffice
def test_build_pdf_writes_pdfs_of_the_deck_and_the_document(plan, kit, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--kit", str(NORTHWIND), "--pdf",
                                       "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    deck, document = out / "harbor-line-logistics-review.pdf", out / "harbor-line-logistics-plan.pdf"
    assert deck.is_file() and document.is_file()
    slides = len(Presentation(str(out / "harbor-line-logistics-review.pptx")).slides)
    info = subprocess.run(["pdfinfo", str(deck)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:"))) == slides
    for path in (deck, document):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Harbor Line Logistics" in text
    assert not [p for p in out.iterdir() if p.name.startswith(".")]          # no temporaries left


def test_without_libreoffice_one_line_says_how_to_install_it_and_the_outputs_stand(plan, kit, tmp_path,
                                                                                    monkeypatch):
    monkeypatch.setattr(pdf, "find_libreoffice", lambda: None)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(plan), "-o", str(out), "--kit", str(NORTHWIND),
                                                       "--pdf", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install libreoffice-impress-nogui libreoffice-writer-nogui" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["harbor-line-logistics-plan-checked.xlsx",
                                                     "harbor-line-logistics-plan.docx",
                                                     "harbor-line-logistics-review.pptx"]


def test_a_libreoffice_that_overruns_is_killed_with_its_group(tmp_path, monkeypatch):
    from generator.errors import OutputError

    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_libreoffice", lambda: str(fake))
    source = tmp_path / "x-review.pptx"
    source.write_bytes(b"x")
    with pytest.raises(OutputError, match="did not finish"):
        pdf.to_pdf([source], tmp_path, timeout=1)
    left = subprocess.run(["pgrep", "-f", str(fake)], capture_output=True, text=True).stdout
    assert not left.strip()
    assert not (tmp_path / "x-review.pdf").exists()
