"""Speed and memory of accountplan against the libraries' own floor, measured in the same run.

Every measurement runs in a fresh process (imports included, as a user pays them) and reports wall time
(from this process), work time (in the child, imports included) and peak memory (the child's maximum
resident set). The floor is the same work done by the bare libraries and nothing of ours (`floor.py`): load
the workbook, write a deck with as many slides, charts, tables (of the same sizes) and notes, a document with
as many paragraphs and tables, and save the workbook again. Machines are noisy: compare figures within one
run, never across runs.

1. One plan (the Harbor Line sample): `accountplan build` against the floor (target ≤ 1.3×), `accountplan
   validate` against `import openpyxl` + `load_workbook` of the same file (target ≤ 1.2×), `--help`.
2. Batch: N generated plans of mixed sizes built one after another in one process, per plan against the
   floor doing the same plans in one process (target ≤ 1.3×); then `batch.build_many` on 1 and 2 worker
   processes: the speed-up (target ≥ 1.8× on 2) and the peak memory of a worker (target ≤ 150 MB).
3. Scaling: one plan with 50, 500 and 5,000 opportunities, stakeholders and actions each: time and peak
   memory, by phase, with the slope per 1,000 rows (linear: the slope stays the same from size to size).

The results are printed as tables and written to bench/results.json (committed with the figures the README
quotes; each run rewrites it). About eight minutes on a 2-core machine.

    python bench/bench.py [--repeat 5] [--batch 200] [--sizes 50,500,5000] [--only one,batch,scaling]
                          [--source DIR]     # measure the code in DIR (e.g. a copy from before a change)
                          [--baseline DIR]   # and DIR's --help, validate and build, in turn with ours
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLE = ROOT / "samples" / "harbor-line-logistics.xlsx"
OTHER_SAMPLE = ROOT / "samples" / "cobalt-ridge-health.xlsx"
AS_OF = "2026-11-25"
RESULTS = BENCH / "results.json"

BATCH_SIZES = (3, 8, 15, 30, 60)   # rows (opportunities, stakeholders, actions each) of the generated batch plans

TARGETS = {"build": 1.3, "validate": 1.2, "batch": 1.3, "speed_up": 1.8, "worker_mb": 150}

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
exec(compile(sys.argv[1], "<bench>", "exec"))
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
extra = globals().get("RESULT", {})
print(json.dumps({"work": time.perf_counter() - start, "peak_mb": me.ru_maxrss / 1024,
                  "children_peak_mb": kids.ru_maxrss / 1024,
                  "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, **extra}), file=sys.stderr)
"""

IMPORTS = "import openpyxl, pptx, docx, jinja2, click"
LOAD = "import openpyxl\nopenpyxl.load_workbook(SAMPLE)"
FLOOR = "from floor import floor_plan\nfloor_plan(SAMPLE, SHAPE, OUT + '/floor')"
# What the `accountplan` program runs (its entry point, `cli.run`; `cli.main` in a checkout from before it).
PROGRAM = "import generator.cli as cli\nprogram = getattr(cli, 'run', cli.main)\n"
HELP = PROGRAM + "try: program(['--help'])\nexcept SystemExit: pass"
VALIDATE = PROGRAM + "try: program(['validate', SAMPLE, '--as-of', AS_OF])\nexcept SystemExit: pass"
BUILD = PROGRAM + "try: program(['build', SAMPLE, '-o', OUT + '/ours', '--as-of', AS_OF])\nexcept SystemExit: pass"

BATCH_OURS = r"""
import datetime as dt
from generator.pipeline import build
for i, plan in enumerate(PLANS):
    build(plan, OUT + f'/seq/{i}', dt.date.fromisoformat(AS_OF))
"""
BATCH_FLOOR = r"""
from floor import floor_plan
for i, (plan, shape) in enumerate(zip(PLANS, SHAPES)):
    floor_plan(plan, shape, OUT + f'/floor/{i}')
"""
BATCH_POOL = r"""
import datetime as dt, inspect
try:
    from generator.batch import build_many
except ImportError:
    RESULT = {"missing": True}
else:
    outcomes = build_many(PLANS, OUT + f'/pool{JOBS}', as_of=dt.date.fromisoformat(AS_OF), jobs=JOBS)
    RESULT = {"written": sum(1 for o in outcomes if o.outputs)}
"""
SCALED_BUILD = r"""
import datetime as dt, time
import generator.pipeline as pipeline
PHASES = {}
def timed(key, fn):
    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            name = key(args)
            PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - started
    return run
pipeline.check = timed(lambda a: "read and check", pipeline.check)
pipeline.view_of = timed(lambda a: "view", pipeline.view_of)
pipeline.render = timed(lambda a: a[0], pipeline.render)
pipeline.build(PLAN, OUT + f'/scaled{ROWS}', dt.date.fromisoformat(AS_OF))
RESULT = {"phases": PHASES}
"""


def run(code: str, out: str, cwd: Path, **extra) -> dict:
    """Run `code` in a fresh interpreter in `cwd` (whose `generator` it imports); wall time from here, work
    time and peak memory from the child."""
    prelude = (f"import sys\nsys.path.append({str(BENCH)!r})\nSAMPLE = {str(SAMPLE)!r}\nOUT = {out!r}\n"
               f"AS_OF = {AS_OF!r}\n")
    prelude += "".join(f"{k} = {v!r}\n" for k, v in extra.items())
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, prelude + code], capture_output=True, text=True, cwd=cwd,
                          env=ENV)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    child = json.loads(done.stderr.strip().splitlines()[-1])
    return {"wall": wall, **child}


# Bytecode is cached, as it is for an installed tool, even where PYTHONDONTWRITEBYTECODE is set (it would
# have every run compile accountplan's modules anew); the cache is this run's own, warmed before timing.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def shape(folder: Path, cwd: Path) -> dict:
    """What our outputs in `folder` hold (in a child, so this process imports no library)."""
    code = f"from floor import shape_of\nimport json\nRESULT = {{'shape': shape_of({str(folder)!r})}}"
    return run(code, str(folder), cwd)["shape"]


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


# 1. One plan ---------------------------------------------------------------------------------------

def one_plan(out: str, source: Path, repeat: int, baseline: Path | None = None) -> dict:
    run(BUILD, out, source)                                   # warm the disk cache; our outputs give the shape
    plan_shape = shape(Path(out) / "ours", source)
    steps = {"imports only (floor)": (IMPORTS, {}, source),
             "bare libraries (floor)": (FLOOR, {"SHAPE": plan_shape}, source),
             "load workbook (floor)": (LOAD, {}, source), "accountplan --help": (HELP, {}, source),
             "accountplan validate": (VALIDATE, {}, source), "accountplan build": (BUILD, {}, source)}
    if baseline is not None:                                  # the same steps of another checkout, in turn with ours
        steps.update({f"{name} (baseline)": (code, {}, baseline) for name, code in
                      (("accountplan --help", HELP), ("accountplan validate", VALIDATE), ("accountplan build", BUILD))})
    runs: dict[str, list] = {name: [] for name in steps}
    for code, extra, where in steps.values():                 # warm: bytecode written, files in the disk cache
        run(code, out, where, **extra)
    for _ in range(repeat):                                   # round robin: noise spreads over every step
        for name, (code, extra, where) in steps.items():
            runs[name].append(run(code, out, where, **extra))
    rows = {name: {"wall": median(r, "wall"), "work": median(r, "work"), "peak_mb": max(x["peak_mb"] for x in r),
                   "walls": [round(x["wall"], 3) for x in r]} for name, r in runs.items()}
    floor, load = rows["bare libraries (floor)"]["wall"], rows["load workbook (floor)"]["wall"]
    for name, row in rows.items():
        base = load if name.startswith(("accountplan validate", "accountplan --help", "load workbook")) else floor
        row["floor"] = "load workbook" if base is load else "bare libraries"
        row["x_floor"] = row["wall"] / base
    rows["accountplan build"]["target"] = TARGETS["build"]
    rows["accountplan validate"]["target"] = TARGETS["validate"]
    slides = plan_shape["slides"]
    return {"sample": SAMPLE.name, "repeat": repeat, "steps": rows,
            "shape": {"slides": len(slides), "charts": sum(c for c, _ in slides),
                      "deck_tables": sum(len(t) for _, t in slides), "document_tables": len(plan_shape["tables"]),
                      "document_paragraphs": plan_shape["paragraphs"]}}


def print_one(result: dict) -> None:
    s = result["shape"]
    print(f"1. One plan: {result['sample']}; deck of {s['slides']} slides, {s['charts']} chart, {s['deck_tables']} "
          f"tables; document of {s['document_paragraphs']} paragraphs, {s['document_tables']} tables; median of "
          f"{result['repeat']} runs each\n")
    print(f"{'step':<34}{'wall s':>8}{'work s':>8}{'peak MB':>9}{'× floor':>9}  floor")
    for name, row in result["steps"].items():
        target = f" (target ≤ {row['target']}×)" if "target" in row else ""
        print(f"{name:<34}{row['wall']:>8.2f}{row['work']:>8.2f}{row['peak_mb']:>9.0f}{row['x_floor']:>9.2f}  "
              f"{row['floor']}{target}")


# 2. Batch ------------------------------------------------------------------------------------------

def make_plans(folder: Path, count: int, source: Path) -> list[str]:
    """`count` plans of mixed sizes (and the two samples among them), written by the code in `source`."""
    folder.mkdir(parents=True, exist_ok=True)
    code = ("from plans import write_plan\nfrom pathlib import Path\n"
            "for i, rows in enumerate(SIZES):\n"
            "    write_plan(rows, Path(FOLDER) / f'plan-{i:03}.xlsx', f'Account {i:03}')\n")
    generated = max(0, count - 2)
    sizes = [BATCH_SIZES[i % len(BATCH_SIZES)] for i in range(generated)]
    run(code, str(folder), source, SIZES=sizes, FOLDER=str(folder))
    plans = sorted(str(p) for p in folder.glob("plan-*.xlsx"))
    for sample in (SAMPLE, OTHER_SAMPLE)[:count - generated]:
        shutil.copy(sample, folder / sample.name)
        plans.append(str(folder / sample.name))
    return plans


def batch(out: str, source: Path, count: int) -> dict:
    plans = make_plans(Path(out) / "plans", count, source)
    ours = run(BATCH_OURS, out, source, PLANS=plans)
    shapes = [shape(Path(out) / "seq" / str(i), source) for i in range(len(plans))]
    floor = run(BATCH_FLOOR, out, source, PLANS=plans, SHAPES=shapes)
    pools = {jobs: run(BATCH_POOL, out, source, PLANS=plans, JOBS=jobs) for jobs in (1, 2)}
    result = {"plans": len(plans), "sizes": sorted({*BATCH_SIZES}), "ours_s": ours["work"], "floor_s": floor["work"],
              "ours_per_plan_s": ours["work"] / len(plans), "floor_per_plan_s": floor["work"] / len(plans),
              "x_floor": ours["work"] / floor["work"], "target": TARGETS["batch"], "ours_peak_mb": ours["peak_mb"],
              "floor_peak_mb": floor["peak_mb"]}
    if pools[1].get("missing"):
        result["pool"] = None
        return result
    one, two = pools[1], pools[2]
    result["pool"] = {
        "1 worker": {"wall_s": one["wall"], "worker_peak_mb": one["peak_mb"], "written": one["written"],
                     "cores_used": one["cpu"] / one["wall"]},
        "2 workers": {"wall_s": two["wall"], "worker_peak_mb": two["children_peak_mb"], "written": two["written"],
                      "cores_used": two["cpu"] / two["wall"]},
        "speed_up": one["wall"] / two["wall"], "target_speed_up": TARGETS["speed_up"],
        "target_worker_mb": TARGETS["worker_mb"]}
    return result


def print_batch(result: dict) -> None:
    print(f"\n2. Batch: {result['plans']} plans of mixed sizes ({', '.join(map(str, result['sizes']))} rows each of "
          "opportunities, stakeholders, actions; and the two samples), one after another in one process\n")
    print(f"{'':<26}{'total s':>9}{'per plan s':>12}{'peak MB':>9}{'× floor':>9}")
    print(f"{'accountplan (build)':<26}{result['ours_s']:>9.1f}{result['ours_per_plan_s']:>12.3f}"
          f"{result['ours_peak_mb']:>9.0f}{result['x_floor']:>9.2f}  (target ≤ {result['target']}×)")
    print(f"{'bare libraries (floor)':<26}{result['floor_s']:>9.1f}{result['floor_per_plan_s']:>12.3f}"
          f"{result['floor_peak_mb']:>9.0f}{1:>9.2f}")
    pool = result["pool"]
    if pool is None:
        print("\ngenerator/batch.py (build_many) is not there: the pool was not measured")
        return
    one, two = pool["1 worker"], pool["2 workers"]
    print(f"\nbatch.build_many, whole process: 1 worker {one['wall_s']:.1f} s, 2 workers {two['wall_s']:.1f} s: "
          f"speed-up {pool['speed_up']:.2f}× (target ≥ {pool['target_speed_up']}×); processor time over wall time "
          f"{one['cores_used']:.2f} and {two['cores_used']:.2f} (the cores the run got)")
    print(f"peak memory of a worker: {one['worker_peak_mb']:.0f} MB (1 worker), {two['worker_peak_mb']:.0f} MB "
          f"(2 workers) (target ≤ {pool['target_worker_mb']} MB)")


# 3. Scaling ----------------------------------------------------------------------------------------

def scaling(out: str, source: Path, sizes: list[int]) -> dict:
    folder = Path(out) / "scaling"
    code = ("from plans import write_plan\nfrom pathlib import Path\n"
            "for rows in SIZES:\n    write_plan(rows, Path(FOLDER) / f'rows-{rows}.xlsx', f'Scaled {rows}')\n")
    run(code, str(folder), source, SIZES=sizes, FOLDER=str(folder))
    points = []
    for rows in sizes:
        plan = str(folder / f"rows-{rows}.xlsx")
        ours = run(SCALED_BUILD, out, source, PLAN=plan, ROWS=rows)
        plan_shape = shape(Path(out) / f"scaled{rows}", source)
        floor = run("from floor import floor_plan\nfloor_plan(PLAN, SHAPE, OUT + f'/scaled-floor{ROWS}')", out, source,
                    PLAN=plan, SHAPE=plan_shape, ROWS=rows)
        points.append({"rows": rows, "slides": len(plan_shape["slides"]), "wall_s": ours["wall"],
                       "work_s": ours["work"], "peak_mb": ours["peak_mb"], "phases_s": ours["phases"],
                       "floor_wall_s": floor["wall"], "floor_peak_mb": floor["peak_mb"],
                       "x_floor": ours["wall"] / floor["wall"]})
    slopes = []
    for a, b in zip(points, points[1:]):
        k = (b["rows"] - a["rows"]) / 1000
        slopes.append({"from": a["rows"], "to": b["rows"], "s_per_1000_rows": (b["work_s"] - a["work_s"]) / k,
                       "mb_per_1000_rows": (b["peak_mb"] - a["peak_mb"]) / k,
                       "phases_s_per_1000_rows": {name: (b["phases_s"].get(name, 0) - a["phases_s"].get(name, 0)) / k
                                                  for name in b["phases_s"]}})
    return {"points": points, "slopes": slopes}


def print_scaling(result: dict) -> None:
    print("\n3. Scaling: one plan with N opportunities, N stakeholders and N actions; `build` in a fresh process\n")
    phases = list(result["points"][0]["phases_s"])
    print(f"{'rows':>6}{'slides':>8}{'wall s':>9}{'peak MB':>9}{'× floor':>9}  "
          + "".join(f"{p:>16}" for p in phases))
    for p in result["points"]:
        print(f"{p['rows']:>6}{p['slides']:>8}{p['wall_s']:>9.2f}{p['peak_mb']:>9.0f}{p['x_floor']:>9.2f}  "
              + "".join(f"{p['phases_s'].get(name, 0):>16.2f}" for name in phases))
    for s in result["slopes"]:
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in s["phases_s_per_1000_rows"].items())
        print(f"per 1,000 rows from {s['from']} to {s['to']}: {s['s_per_1000_rows']:.2f} s, "
              f"{s['mb_per_1000_rows']:.0f} MB ({phases})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each one-plan step (the median is shown)")
    parser.add_argument("--batch", type=int, default=200, help="plans in the batch benchmark")
    parser.add_argument("--sizes", default="50,500,5000", help="rows of the scaling benchmark's plans")
    parser.add_argument("--only", default="one,batch,scaling", help="which benchmarks to run")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose code is measured")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where the results are written")
    parser.add_argument("--baseline", type=Path, help="another checkout whose one-plan steps run in turn with ours")
    args = parser.parse_args()
    only = set(args.only.split(","))
    source = args.source.resolve()
    results = {"when": dt.datetime.now().isoformat(timespec="seconds"), "source": str(source),
               "baseline": str(args.baseline) if args.baseline else None,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}}
    with tempfile.TemporaryDirectory() as out:
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(out) / "bytecode")
        run(BUILD, out, source)                               # warm: bytecode written, files in the disk cache
        run("import floor, plans", out, source)
        if "one" in only:
            results["one_plan"] = one_plan(out, source, args.repeat, args.baseline and args.baseline.resolve())
            print_one(results["one_plan"])
        if "batch" in only:
            results["batch"] = batch(out, source, args.batch)
            print_batch(results["batch"])
        if "scaling" in only:
            results["scaling"] = scaling(out, source, [int(n) for n in args.sizes.split(",")])
            print_scaling(results["scaling"])
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
