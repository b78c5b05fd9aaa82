"""Looked at as a person would: decks rendered by LibreOffice, every word we wrote inside the box we drew.

The text-fit estimate in the deck is a model; this test checks it against a real renderer. Each deck goes
to PDF, `pdftotext -bbox` gives every word's box on the page, and every word of every text frame and table
must be drawn inside that shape's own frame (a table that grew past its height, or text spilling out of a
panel, puts its words outside).
"""
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import AS_OF, harbor_data, many_opportunities_data, needs_libreoffice
from outputs import render_output
from pptx import Presentation
from pptx.util import Emu

from generator.pipeline import assess

TOLERANCE_PT = 3.0
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None and not __import__("os").environ.get("CI"),
                                   reason="poppler-utils is not installed")


def stress_data() -> dict:
    data = many_opportunities_data(40)
    data["fields"].update({
        "account_name": "Harbor Line Logistics International Holdings and Terminal Operations (Asia-Pacific) Ltd",
        "region": "Asia-Pacific · 港湾物流 · Singapore, Kuala Lumpur and Jakarta terminals",
        "objective_why_now": "Because " + "the board wants one operating model before peak season, " * 6})
    data["lists"]["Risks"] = [{"Risk": f"Risk number {i} with a fairly long description of what could go wrong",
                               "Impact": ("High", "Medium", "Low")[i % 3], "Likelihood": "Medium",
                               "Mitigation": "A mitigation that takes a couple of lines to explain in full " * 2,
                               "Owner": "Priya Nair"} for i in range(14)]
    return data


def word_boxes(pdf) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes in points (origin top left)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    html = re.sub(r"<!DOCTYPE[^>]*>", "", html)
    root = ET.fromstring(html)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        pages.append([(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                       float(w.get("yMax"))) for w in page.iter("{http://www.w3.org/1999/xhtml}word")])
    return pages


def shape_texts(shape) -> str:
    if shape.has_text_frame:
        return shape.text_frame.text
    if shape.has_table:
        return "\n".join(cell.text for row in shape.table.rows for cell in row.cells)
    return ""


def escapes(deck_path, pdf) -> list[str]:
    """Every word drawn outside its own shape's frame (or outside the slide)."""
    deck = Presentation(str(deck_path))
    width, height = Emu(deck.slide_width).pt, Emu(deck.slide_height).pt
    pages = word_boxes(pdf)
    assert len(pages) == len(deck.slides)
    found = []
    for number, (slide, words) in enumerate(zip(deck.slides, pages), 1):
        for word, x0, y0, x1, y1 in words:
            if x0 < -TOLERANCE_PT or y0 < -TOLERANCE_PT or x1 > width + TOLERANCE_PT or y1 > height + TOLERANCE_PT:
                found.append(f"slide {number}: '{word}' leaves the slide")
        for shape in slide.shapes:
            box = (Emu(shape.left).pt - TOLERANCE_PT, Emu(shape.top).pt - TOLERANCE_PT,
                   Emu(shape.left + shape.width).pt + TOLERANCE_PT, Emu(shape.top + shape.height).pt + TOLERANCE_PT)
            for token in set(shape_texts(shape).casefold().split()):     # a kicker may be drawn in capitals
                places = [(a, b, c, d) for w, a, b, c, d in words if w.casefold() == token]
                if places and not any(box[0] <= (a + c) / 2 <= box[2] and box[1] <= (b + d) / 2 <= box[3]
                                      for a, b, c, d in places):
                    found.append(f"slide {number} ({slide.shapes.title.text if slide.shapes.title else ''}): "
                                 f"'{token}' of {shape.name} is drawn outside it")
    return found


@needs_libreoffice
@needs_poppler
def test_no_word_leaves_its_box_in_the_samples_and_a_stress_plan(make_plan, tmp_path, soffice):
    plans = {"harbor": harbor_data(), "stress": stress_data(),
             "sparse": {"fields": {"account_name": "Sparrow & Sons Ltd"}, "lists": {}}}
    from generator.pipeline import check

    decks = []
    for name, data in plans.items():
        result = assess(make_plan(data), AS_OF)
        decks.append(tmp_path / f"{name}.pptx")
        render_output(__import__("generator.render.deck", fromlist=["render"]), result, decks[-1])
    cobalt = check("samples/cobalt-ridge-health.xlsx", AS_OF)
    decks.append(tmp_path / "cobalt.pptx")
    render_output(__import__("generator.render.deck", fromlist=["render"]), cobalt, decks[-1])
    pdfs = soffice(decks, "pdf", tmp_path / "pdf")
    problems = [line for deck, pdf in zip(decks, pdfs) for line in escapes(deck, pdf)]
    assert problems == []
