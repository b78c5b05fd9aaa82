"""The floor: the work of one build done by the bare libraries, with nothing of accountplan.

For a plan whose outputs we wrote, `shape_of` counts what they hold: the deck's slides, with the charts
and the tables (rows × columns) on each, and the document's paragraphs (and their characters) and tables.
`floor_plan` then does the same amount of work with openpyxl, python-pptx and python-docx alone: load the
workbook and read every cell, write a deck with as many slides, charts and tables of the same sizes (each
cell given a text), a document with as many paragraphs of the same length and tables of the same sizes, and
save the workbook again. No styling, no fitting, no checks: what any tool producing these files pays.

Importing this module imports the three libraries, as a user of them would.
"""
from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pptx
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

WORDS = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. "


def shape_of(folder: str | Path) -> dict:
    """What the deck and the document written into `folder` hold (one plan's outputs)."""
    folder = Path(folder)
    deck = pptx.Presentation(next(folder.glob("*.pptx")))
    slides = []
    for slide in deck.slides:
        charts = sum(1 for shape in slide.shapes if shape.has_chart)
        tables = [[len(shape.table.rows), len(shape.table.columns)] for shape in slide.shapes if shape.has_table]
        slides.append([charts, tables])
    document = docx.Document(next(folder.glob("*.docx")))
    paragraphs = document.paragraphs
    return {"slides": slides,
            "paragraphs": len(paragraphs), "chars": sum(len(p.text) for p in paragraphs),
            "tables": [[len(table.rows), len(table.columns)] for table in document.tables]}


def floor_plan(workbook: str, shape: dict, out: str) -> None:
    """The bare libraries' work for one plan of `shape`, writing into the folder `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(workbook)
    values = [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]
    assert values is not None
    _deck(shape["slides"], out / "floor.pptx")
    _document(shape, out / "floor.docx")
    wb.save(out / "floor.xlsx")


def _deck(slides: list, path: Path) -> None:
    deck = pptx.Presentation()
    layout = deck.slide_layouts[5]
    for number, (charts, tables) in enumerate(slides):
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = f"Slide {number}"
        slide.notes_slide.notes_text_frame.text = WORDS
        for _ in range(charts):
            data = CategoryChartData()
            data.categories = ["a", "b", "c", "d", "e"]
            data.add_series("s", (1, 2, 3, 4, 5))
            slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Inches(1), Inches(1), Inches(6), Inches(4), data)
        for rows, cols in tables:
            table = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(1.5), Inches(9), Inches(4)).table
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "cell"
    deck.save(path)


def _document(shape: dict, path: Path) -> None:
    doc = docx.Document()
    paragraphs, tables = shape["paragraphs"], shape["tables"]
    length = max(1, shape["chars"] // max(1, paragraphs))          # each paragraph as long as ours on average
    text = (WORDS * (1 + length // len(WORDS)))[:length]
    per_table = paragraphs // (len(tables) + 1)
    written = 0
    for rows, cols in tables:
        for _ in range(per_table):
            doc.add_paragraph(text)
        written += per_table
        table = doc.add_table(rows=1, cols=cols)
        for cell in table.rows[0].cells:
            cell.text = "header"
        for _ in range(rows - 1):
            for cell in table.add_row().cells:
                cell.text = "value"
    for _ in range(paragraphs - written):
        doc.add_paragraph(text)
    doc.save(path)
