"""A kit's Word reference document (`document.docx`): the plan document starts from it (its styles, page, header
and footer, theme) and says the same as without it."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from outputs import written_document

from generator.kit import DOCUMENT_FILE, KIT_FILE, default_kit, load_kit

NORTHWIND = Path(__file__).resolve().parent.parent / "kits" / "northwind"
HEADER = "Contoso Freight · Internal use only"
FOOTER = "Contoso Freight, 1 Harbour Road"
PLUM = "7030A0"
A5 = (Mm(148), Mm(210))


def reference(path: Path, footer: bool = False) -> Path:
    """A company's reference document, made as a designer would in Word: Heading 1 in plum Georgia, an A5 page
    with narrow margins, a header of its own (and a footer, when asked), and a body that must not show."""
    doc = docx.Document()
    heading = doc.styles["Heading 1"]
    heading.font.name, heading.font.size, heading.font.color.rgb = "Georgia", Pt(20), RGBColor.from_string(PLUM)
    for style in ("List Bullet", "TOC Heading"):        # a reference need not define every style we use
        doc.styles[style].element.getparent().remove(doc.styles[style].element)
    section = doc.sections[0]
    section.page_width, section.page_height = A5
    section.left_margin = section.right_margin = Mm(12)
    section.header.paragraphs[0].text = HEADER
    if footer:
        section.footer.paragraphs[0].text = FOOTER
    doc.add_paragraph("Template instructions: delete this text.")
    doc.save(path)
    return path


def kit_with_reference(folder: Path, footer: bool = False):
    """A kit folder with a Word reference document, found by its name, and no font of its own."""
    folder.mkdir()
    (folder / KIT_FILE).write_text('name = "Contoso Freight"\nversion = "1"\n', encoding="utf-8")
    reference(folder / DOCUMENT_FILE, footer)
    return load_kit(folder)


@pytest.fixture
def contoso(harbor, tmp_path):
    kit = kit_with_reference(tmp_path / "kit")
    return written_document(harbor, tmp_path, "contoso.docx", kit), tmp_path / "contoso.docx", kit


def twips(*lengths) -> tuple[int, ...]:
    """Lengths as Word stores them (twentieths of a point)."""
    return tuple(length.twips for length in lengths)


def header_texts(doc) -> list[str]:
    return [p.text for s in doc.sections if not s.header.is_linked_to_previous for p in s.header.paragraphs]


def footer_texts(doc) -> list[str]:
    return [p.text for s in doc.sections if not s.footer.is_linked_to_previous for p in s.footer.paragraphs]


def contents(doc) -> tuple[list, list]:
    """The paragraphs (style and text) and the tables (caption and cell texts) of a document's body; empty
    paragraphs (a table's end, a section break: where they go depends on the page's size) left out."""
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    tables = [(t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")),
               [[c.text for c in row.cells] for row in t.rows]) for t in doc.tables]
    return paragraphs, tables


def test_the_plan_document_keeps_the_reference_header_and_adds_the_page_numbers(contoso):
    doc, _, _ = contoso
    assert HEADER in header_texts(doc)
    assert not any("Harbor Line Logistics" in text for text in header_texts(doc))   # the reference's header wins
    assert any(text.startswith("Page ") for text in footer_texts(doc))             # it had no footer: ours
    assert all(s.header.is_linked_to_previous for s in doc.sections[1:])             # one header throughout


def test_a_reference_footer_stays_instead_of_the_page_numbers(harbor, tmp_path):
    doc = written_document(harbor, tmp_path, kit=kit_with_reference(tmp_path / "kit", footer=True))
    assert FOOTER in footer_texts(doc)
    assert not any(text.startswith("Page ") for text in footer_texts(doc))


def test_the_reference_styles_page_and_fonts_shape_the_document(contoso):
    doc, path, _ = contoso
    heading = doc.styles["Heading 1"]
    assert heading.font.name == "Georgia" and str(heading.font.color.rgb) == PLUM
    assert heading.font.size == Pt(20)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml").decode()
    assert 'w:ascii="Georgia"' in styles and PLUM in styles
    first = doc.sections[0]
    assert twips(first.page_width, first.page_height, first.left_margin) == twips(*A5, Mm(12))
    assert first.orientation == WD_ORIENT.PORTRAIT
    for section in doc.sections[1:]:             # a landscape part turns the reference's page
        assert set(twips(section.page_width, section.page_height)) == set(twips(*A5))
    # the styles the reference lacks are ours, in the brand's colour, in the reference's theme fonts (no font
    # of the kit's own)
    bullet, toc = doc.styles["List Bullet"], doc.styles["TOC Heading"]
    assert bullet.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None       # still a bulleted list
    assert str(toc.font.color.rgb) == default_kit().brand.primary
    assert toc.element.rPr.rFonts.get(qn("w:asciiTheme")) == "majorHAnsi"
    assert doc.styles["Table Text"].font.size == Pt(8.5)
    assert "Template instructions" not in "\n".join(p.text for p in doc.paragraphs)  # the body is dropped


def test_the_document_says_the_same_with_and_without_the_reference(harbor, contoso, tmp_path):
    doc, _, _ = contoso
    plain = written_document(harbor, tmp_path, "plain.docx")
    assert contents(doc) == contents(plain)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [p.text for p in plain.paragraphs if p.style.name == "Heading 1"]
    assert "Executive summary" in headings and "Appendix: Plan health" in headings


def test_the_same_plan_and_reference_give_the_same_bytes(harbor, contoso, tmp_path):
    _, path, kit = contoso
    again = tmp_path / "again.docx"
    written_document(harbor, tmp_path, again.name, kit)
    assert path.read_bytes() == again.read_bytes()


def test_the_northwind_document_carries_the_logo_in_its_header(harbor, tmp_path):
    kit = load_kit(NORTHWIND)
    assert kit.document_template == (NORTHWIND / DOCUMENT_FILE).resolve()
    doc = written_document(harbor, tmp_path, kit=kit)
    header = doc.sections[0].header
    assert "Northwind Sales · Confidential" in "\n".join(p.text for p in header.paragraphs)
    pictures = header._element.xpath(".//pic:pic//a:blip/@r:embed")
    assert pictures and header.part.related_parts[pictures[0]].content_type == "image/png"
    assert str(doc.styles["Heading 1"].font.color.rgb) == "0B5394" and doc.styles["Heading 1"].font.name == "Arial"
    assert twips(doc.sections[0].page_width, doc.sections[0].page_height) == twips(Mm(210), Mm(297))   # A4
    assert len(doc.inline_shapes) == 1     # the cover's logo; the reference's text and pictures are gone


def test_a_reference_without_list_numbering_still_gets_bulleted_answers(harbor, tmp_path):
    kit = kit_with_reference(tmp_path / "kit")
    bare = docx.Document(str(kit.document_template))
    for rId, rel in list(bare.part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            del bare.part.rels[rId]      # as a document saved without any list in it
    bare.save(kit.document_template)
    doc = written_document(harbor, tmp_path, kit=kit)
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    num_id = doc.styles["List Bullet"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    numbering = doc.part.numbering_part.element
    assert bullets and numbering.xpath(f'w:num[@w:numId="{num_id}"]')
