"""Speed and memory of accountplan against the libraries' own floor.

Each measurement runs in a fresh process (imports included, as a user pays them) and reports wall
time and peak memory. The floor is the same work done with the bare libraries and nothing of ours:
load the sample workbook, write a deck with as many slides, charts and tables, a document with as
many tables, and save the workbook again. Machines are noisy: compare figures within one run.

    python bench/bench.py [--repeat N] [--batch N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "harbor-line-logistics.xlsx"
AS_OF = "2026-11-25"

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
exec(compile(sys.argv[1], "<bench>", "exec"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"work": time.perf_counter() - start, "peak_mb": peak}), file=sys.stderr)
"""

IMPORTS = "import openpyxl, pptx, docx, jinja2, click"

FLOOR = r"""
import openpyxl, pptx, docx
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches
wb = openpyxl.load_workbook(SAMPLE)
rows = [[c.value for c in r] for ws in wb.worksheets for r in ws.iter_rows()]
deck = pptx.Presentation()
for i in range(SLIDES):
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = f"Slide {i}"
    if i < CHARTS:
        data = CategoryChartData(); data.categories = ["a", "b", "c", "d", "e"]
        data.add_series("s", (1, 2, 3, 4, 5))
        slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Inches(1), Inches(1), Inches(6), Inches(4), data)
    elif i < CHARTS + TABLES:
        table = slide.shapes.add_table(8, 6, Inches(0.5), Inches(1.5), Inches(9), Inches(4)).table
        for r in range(8):
            for c in range(6):
                table.cell(r, c).text = f"cell {r} {c}"
deck.save(OUT + "/floor.pptx")
doc = docx.Document()
for i in range(TABLES):
    doc.add_heading(f"Section {i}", 1)
    doc.add_paragraph("Lorem ipsum dolor sit amet. " * 40)
    table = doc.add_table(rows=1, cols=6)
    for r in range(10):
        for cell in table.add_row().cells:
            cell.text = "value"
doc.save(OUT + "/floor.docx")
wb.save(OUT + "/floor.xlsx")
"""

OURS = {
    "accountplan --help": "from generator.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass",
    "accountplan validate": ("from generator.cli import main\ntry: main(['validate', SAMPLE, '--as-of', AS_OF])\n"
                             "except SystemExit: pass"),
    "accountplan build": ("from generator.cli import main\ntry: main(['build', SAMPLE, '-o', OUT, '--as-of', AS_OF])\n"
                          "except SystemExit: pass"),
}


def run(code: str, out: str, **extra) -> dict:
    """Run `code` in a fresh interpreter; wall time from the parent, work time and peak from the child."""
    prelude = f"SAMPLE = {str(SAMPLE)!r}\nOUT = {out!r}\nAS_OF = {AS_OF!r}\n"
    prelude += "".join(f"{k} = {v!r}\n" for k, v in extra.items())
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, prelude + code], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr}")
    child = json.loads(done.stderr.strip().splitlines()[-1])
    return {"wall": wall, **child}


def deck_shape(out: str) -> dict:
    """Slides, charts and tables in the deck we write, so the floor does the same amount of work."""
    from pptx import Presentation

    deck = next(Path(out).glob("*.pptx"))
    shapes = [s for slide in Presentation(deck).slides for s in slide.shapes]
    return {"SLIDES": len(Presentation(deck).slides), "CHARTS": sum(s.has_chart for s in shapes),
            "TABLES": sum(s.has_table for s in shapes)}


def batch(count: int, out: str) -> dict:
    code = ("from generator.pipeline import build\n"
            "import datetime as dt\n"
            f"for i in range({count}):\n"
            "    build(SAMPLE, OUT + f'/b{i}', dt.date.fromisoformat(AS_OF))\n")
    return run(code, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (the median is shown)")
    parser.add_argument("--batch", type=int, default=10, help="plans built in one process for the batch figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        run(OURS["accountplan build"], out)                     # warm the disk cache, learn the deck's shape
        shape = deck_shape(out)
        steps = {"imports only (floor)": (IMPORTS, {}), "bare libraries (floor)": (FLOOR, shape),
                 **{name: (code, {}) for name, code in OURS.items()}}
        results = {name: [run(code, out, **extra) for _ in range(args.repeat)] for name, (code, extra) in steps.items()}
        many = batch(args.batch, out)
    floor = statistics.median(r["wall"] for r in results["bare libraries (floor)"])
    print(f"sample: {SAMPLE.name}; deck of {shape['SLIDES']} slides, {shape['CHARTS']} charts, "
          f"{shape['TABLES']} tables; median of {args.repeat} runs each\n")
    print(f"{'step':<26}{'wall s':>9}{'work s':>9}{'peak MB':>9}{'× floor':>9}")
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        work = statistics.median(r["work"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"{name:<26}{wall:>9.2f}{work:>9.2f}{peak:>9.0f}{wall / floor:>9.2f}")
    per_plan = many["work"] / args.batch
    print(f"\nbatch: {args.batch} plans in one process: {many['work']:.1f} s ({per_plan:.2f} s a plan), "
          f"peak {many['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
