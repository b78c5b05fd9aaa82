"""Reading back what the renderers wrote: all the text of a slide, a deck or a document."""
from __future__ import annotations

from pathlib import Path


def render_output(module, result, path: Path, kit=None, **extra) -> None:
    """Render `result` with a renderer module (deck, document, checked workbook) the way the pipeline does:
    one view, one kit; `extra` goes to the renderer as it is (the checked workbook's `source`)."""
    from generator.kit import default_kit
    from generator.view import build_view

    kit = kit or default_kit()
    view = build_view(result.plan, result.figures, result.findings, kit)
    module.render(view, kit, path, **extra)


def written_deck(result, folder: Path, name: str = "deck.pptx", kit=None):
    """Write the deck of `result` into `folder` and open it."""
    from pptx import Presentation

    from generator.render import deck

    render_output(deck, result, folder / name, kit)
    return Presentation(str(folder / name))


def written_document(result, folder: Path, name: str = "plan.docx", kit=None):
    """Write the plan document of `result` into `folder` and open it."""
    import docx

    from generator.render import document

    render_output(document, result, folder / name, kit)
    return docx.Document(str(folder / name))


def slide_text(slide) -> str:
    """Every text frame and table cell of a slide, one per line."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def deck_text(path: Path) -> str:
    from pptx import Presentation

    return "\n".join(slide_text(slide) for slide in Presentation(str(path)).slides)


def document_text(path: Path) -> str:
    """Every paragraph and table cell of a Word document, one per line."""
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)
