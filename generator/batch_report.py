"""What `accountplan build PATH...` and `accountplan portfolio` print while many plans are worked on, and after.

On a terminal, a rich progress bar (plans done, failed, time left) and a table at the end; otherwise (a pipe,
a file, a CI log) one plain line per plan as it finishes, then the same table without colour. rich is imported
here only, and this module only by the commands that work on many plans.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .batch import PlanOutcome, Skipped, Tally


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _console(terminal: bool, stream=None):
    from rich.console import Console

    if terminal:
        return Console(file=stream or sys.stdout, highlight=False, force_terminal=True)
    # Not a terminal: no colour, and wide enough that no row of the table is wrapped.
    return Console(file=sys.stdout, width=10_000, no_color=True, highlight=False, soft_wrap=True,
                   force_terminal=False, force_jupyter=False, color_system=None)


class Reporter:
    """`on_progress` for `build_many` and `portfolio.collect`: a progress bar on a terminal, plain lines
    elsewhere. Use as a context manager around the work."""

    def __init__(self, verb: str = "building", terminal: bool | None = None, say=None, stream=None, kit=None):
        self.stream = stream or sys.stdout
        self.kit = kit
        self.terminal = is_terminal(self.stream) if terminal is None else terminal
        self.verb = verb
        self.say = say or print
        self.failed = 0
        self.start = time.monotonic()
        self._progress = None
        self._task = None
        self._stage = verb

    def __enter__(self) -> Reporter:
        if self.terminal:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TextColumn("plans"),
                                      TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(),
                                      TextColumn("·"), TimeRemainingColumn(), TextColumn("left"), console=_console(True, self.stream),
                                      transient=False)
            self._progress.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, done: int, total: int, outcome) -> None:
        if outcome is not None and _failed(outcome):
            self.failed += 1
        if self._progress is not None:
            if self._task is None:
                self._task = self._progress.add_task(self.verb.capitalize(), total=total, failed=0)
            if self._stage == self.verb:
                self._progress.update(self._task, completed=done, failed=self.failed)
            else:                   # a plan refused while they are being checked: counted as failed now
                self._progress.update(self._task, failed=self.failed)
            return
        if outcome is None:
            self.say(f"{self.verb} {total} plan{'s' if total != 1 else ''}")
        else:
            self.say(f"[{done}/{total}] {_line(outcome, self.kit)}")

    def step(self, stage: str, done: int, total: int) -> None:
        """`on_step` for `build_many`: a stage before the plans are built (`checking` them, `reading the last
        review`), then the verb's own. On a terminal the bar shows the stage and counts its work, so it
        never stands still while no plan is yet done; plain lines stay one per plan done."""
        new_stage, self._stage = stage != self._stage, stage
        if self._progress is None:
            return
        description = stage[:1].upper() + stage[1:]
        if self._task is None:
            self._task = self._progress.add_task(description, total=total, completed=done, failed=self.failed)
        elif new_stage:                                                  # its own count and time left
            self._progress.reset(self._task, total=total, completed=done, description=description,
                                 failed=self.failed)
        else:
            self._progress.update(self._task, total=total, completed=done)


def _failed(outcome) -> bool:
    if isinstance(outcome, PlanOutcome):
        return outcome.failed
    return hasattr(outcome, "refusal") and not hasattr(outcome, "figures")      # a portfolio's Refused


def _line(outcome, kit=None) -> str:
    """One plain line for a finished plan (with `--since DIR`, its earlier version, or that it is new)."""
    if isinstance(outcome, PlanOutcome):
        if outcome.failed:
            return f"{outcome.status}: {outcome.reason}"
        counts = f"{_n(outcome.errors, 'error')}, {_n(outcome.warnings, 'warning')}"
        since = f" · {since_text(outcome.since, kit, 'since ')}" if outcome.since is not None else ""
        return f"{outcome.status}: {outcome.account or outcome.file} → {outcome.folder}/ ({counts}){since}"
    if hasattr(outcome, "since_line"):                                         # a portfolio's Since
        return outcome.since_line()
    if hasattr(outcome, "figures"):                                            # a portfolio's PlanEntry
        return f"read: {outcome.name} ({_n(outcome.errors, 'error')}, {_n(outcome.warnings, 'warning')})"
    return f"not usable: {outcome.reason}"


def _n(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def since_text(since, kit=None, before: str = "") -> str:
    """How a plan of `build --since DIR` was matched (a `portfolio.Since` without its diff): `before` and its
    earlier version (the latest of several, when so), or why it has none, in the kit's words (`wording.diff`):
    new since the last review, no account name to match by."""
    words = _diff_words(kit)
    return before + since.earlier_text(words) if since.earlier else since.text(words)


def since_lines(run, matched: list) -> list[str]:
    """The earlier versions of `build --since DIR` in a few lines: how many plans of DIR were read and how
    the plans were matched (`matched`: their `portfolio.Since`s), then the files there not usable."""
    compared = sum(1 for m in matched if m is not None and m.earlier)
    others: dict[str, int] = {}
    for m in matched:
        if m is not None and not m.earlier:
            others[m.status] = others.get(m.status, 0) + 1
    counts = [f"{compared} with an earlier version"] + [f"{n} {status}" for status, n in sorted(others.items())]
    lines = [f"since {run.folder} ({_n(run.earlier, 'earlier plan')}): " + ", ".join(counts)]
    if run.refused:
        lines.append(f"{_n(len(run.refused), 'earlier file')} not usable:")
        lines += [f"  {r.reason}" for r in run.refused]
    return lines


def _diff_words(kit) -> dict[str, str]:
    from .kit import default_kit

    return (kit or default_kit()).wording.diff


PLAIN_WIDTH = 10_000  # off a terminal no row is wrapped (each line is stripped of its padding)


def outcomes_table(outcomes: list[PlanOutcome], skipped: list[Skipped], seconds: float,
                   terminal: bool | None = None, say=None, since=None, kit=None) -> None:
    """Every plan of a batch: its outputs, or its one-line reason; then the counts. `since`: the earlier
    versions of `build --since DIR` (a `portfolio.SinceRun`): a column of each plan's, and the files of DIR
    not usable, before the counts."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    terminal = is_terminal() if terminal is None else terminal
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, header_style="bold" if terminal else "")
    table.add_column("Plan", overflow="fold", ratio=2)
    table.add_column("Account", overflow="fold", ratio=2)
    table.add_column("Result", ratio=2)
    if since is not None:
        table.add_column("Earlier version", overflow="fold", ratio=3)
    table.add_column("Outputs, or why none", overflow="fold", ratio=5)
    colours = {"built": "green", "built with errors": "yellow"}
    for o in outcomes:
        result = o.status if o.failed else f"{o.status}\n{_n(o.errors, 'error')}, {_n(o.warnings, 'warning')}"
        if o.failed:
            detail = _reason(o)
        else:
            detail = f"{o.folder}{os.sep}\n" + ", ".join(Path(p).name for p in o.outputs)
            if o.collision:
                detail += f"\nnote: {o.collision}"
        style = colours.get(o.status, "red") if terminal else ""
        earlier = [Text(since_text(o.since, kit) if o.since is not None else "—")] if since is not None else []
        table.add_row(Text(o.file), Text(o.account or "—"), Text(result, style=style), *earlier, Text(detail),
                      end_section=True)
    notes = since_lines(since, [o.since for o in outcomes]) if since is not None else []
    line = Tally.of(outcomes).line(seconds)
    if skipped:
        kinds: dict[str, int] = {}
        for s in skipped:
            kinds[s.why] = kinds.get(s.why, 0) + 1
        line += " · skipped " + ", ".join(f"{n} {why}{'s' if n != 1 else ''}" for why, n in sorted(kinds.items()))
    if terminal:
        console = _console(True)
        console.print(table)
        for note in notes:
            console.print(Text(note))
        console.print(Text(line, style="bold"))
        return
    # Elsewhere: plain text, each line without the padding that ends it.
    console = Console(width=PLAIN_WIDTH, no_color=True, highlight=False, color_system=None, force_terminal=False,
                      record=True, file=open(os.devnull, "w", encoding="utf-8"))
    console.print(table)
    say = say or print
    for text in console.export_text().splitlines():
        say(text.rstrip())
    for note in notes:
        say(note)
    say(line)
    console.file.close()


def _reason(o: PlanOutcome) -> str:
    """The one line of why nothing was written, without the plan's own file name (its row names it)."""
    prefix = f"{o.file}: "
    return o.reason[len(prefix):] if o.reason.startswith(prefix) else o.reason


# The commands' bodies (the CLI calls these; they return the exit code) -------------------------------

def run_build(paths, out: Path, as_of, strict: bool, jobs: int | None, say, kit=None,
              scheduler: str | None = None, pdf: bool = False, note=None, since: Path | None = None) -> int:
    """`accountplan build PATH... -o OUT` for several plans (or a folder): progress, then the table; every plan
    in `kit` (None: the built-in one), on the Dask cluster at `scheduler` when given (`--scheduler`); with `pdf`,
    PDFs of every built plan's deck and document (`note` hears why there are none); with `since` (a folder of
    the last review's plans), each plan with what changed since its earlier version there (`build_many`)."""
    from .batch import build_many, exit_code, find_plans
    from .errors import EXIT_UNUSABLE_FILE

    files, skipped = find_plans(paths, skip=out)
    if not files:
        print(f"no plan workbook (.xlsx) found in {', '.join(map(str, paths))}", file=sys.stderr)
        return EXIT_UNUSABLE_FILE
    start = time.monotonic()
    runs = []                                   # the earlier versions' record, with `since`
    with Reporter("building", say=say, kit=kit) as progress:
        outcomes = build_many(paths, out, as_of, strict, jobs, kit=kit, on_progress=progress, files=files,
                              scheduler=scheduler, since=since, on_since=runs.append, on_step=progress.step)
    if pdf:
        outcomes = with_pdfs(outcomes, Path(out), say, note or say)
    outcomes_table(outcomes, skipped, time.monotonic() - start, say=say, since=runs[0] if runs else None, kit=kit)
    return exit_code(outcomes)


def with_pdfs(outcomes: list[PlanOutcome], out: Path, say, note) -> list[PlanOutcome]:
    """The outcomes with PDFs of each built plan's deck and document added to its outputs (`render.pdf.to_pdfs`:
    few LibreOffice runs for the whole batch). Without LibreOffice, or when a plan's PDFs fail, `note` says so
    in one line and the other outputs stand."""
    import dataclasses

    from .render import pdf

    built = [i for i, o in enumerate(outcomes) if o.written]
    sources = [[Path(p) for p in outcomes[i].outputs if Path(p).suffix in (".pptx", ".docx")] for i in built]
    if not any(sources):
        return outcomes
    say(f"making PDFs of {_n(len(built), 'plan')} with LibreOffice")
    try:
        made = pdf.to_pdfs(sources, out, on_failed=lambda paths, error: note(f"no PDFs of {paths[0].parent}: {error}"))
    except pdf.LibreOfficeMissing as missing:
        note(str(missing))
        return outcomes
    outcomes = list(outcomes)
    for i, pdfs in zip(built, made):
        outcomes[i] = dataclasses.replace(outcomes[i], outputs=outcomes[i].outputs + tuple(map(str, pdfs)))
    return outcomes


def run_portfolio(paths, out: Path | None, as_json: bool, as_of, strict: bool, jobs: int | None, say,
                  kit=None, scheduler: str | None = None, since: Path | None = None) -> int:
    """`accountplan portfolio PATH...`: read every plan, roll them up, write the workbook and the deck into
    `out` (when given) and print the totals, or the JSON report; every plan in `kit` (None: the built-in one),
    read on the Dask cluster at `scheduler` when given (`--scheduler`); with `since` (a folder of the last
    review's plans), each plan compared with its earlier version there (`portfolio.compare_since`)."""
    import json

    from .batch import find_plans
    from .errors import EXIT_OK, EXIT_PLAN_HAS_ERRORS, EXIT_UNUSABLE_FILE
    from .portfolio import collect, compare_since, roll_up, since_lines, to_json, write

    files, _ = find_plans(paths, skip=out)
    if not files:
        print(f"no plan workbook (.xlsx) found in {', '.join(map(str, paths))}", file=sys.stderr)
        return EXIT_UNUSABLE_FILE
    # With --json, standard output is the report alone: the rest goes to standard error.
    tell = (lambda text: print(text, file=sys.stderr)) if as_json else say
    with Reporter("reading", say=tell, stream=sys.stderr if as_json else sys.stdout) as progress:
        items = collect(files, as_of, strict, jobs, kit=kit, on_progress=progress, scheduler=scheduler)
    run = None
    if since is not None:
        earlier, _ = find_plans([since], skip=out)
        with Reporter("comparing", say=tell, stream=sys.stderr if as_json else sys.stdout) as progress:
            items, run = compare_since(items, earlier, since, as_of, strict, jobs, kit=kit, on_progress=progress,
                                       scheduler=scheduler)
    portfolio = roll_up(items, kit, as_of=as_of, since=run)
    if out is not None:
        write(portfolio, out, kit, on_written=lambda path: tell(f"wrote {path}"))
    if as_json:
        say(json.dumps(to_json(portfolio, kit), indent=2, ensure_ascii=False))
    else:
        for line in portfolio_lines(portfolio) + since_lines(portfolio, kit):
            say(line)
    if portfolio.refused:
        return EXIT_UNUSABLE_FILE
    return EXIT_PLAN_HAS_ERRORS if portfolio.errors else EXIT_OK


def portfolio_lines(portfolio) -> list[str]:
    """The portfolio in a few lines: each currency's totals, plan health, the files not read."""
    from . import fmt

    when = f" · as of {fmt.date(portfolio.as_of)}" if portfolio.as_of else ""
    lines = [f"{_n(len(portfolio.plans), 'plan')}{when}"]
    for currency, t in portfolio.totals.items():
        money = [("target", t.annual_target), ("secured", t.secured), ("weighted open", t.weighted_open),
                 ("gap to target", t.gap_to_target), ("uncovered gap", t.uncovered_gap)]
        lines.append(f"{currency}  {_n(t.plans, 'plan')}: "
                     + " · ".join(f"{label} {fmt.money(value, currency)}" for label, value in money)
                     + f" · coverage {fmt.times(t.pipeline_coverage)}")
    counts = portfolio.action_counts()
    lines.append(f"{portfolio.plans_with_errors} with errors · {_n(portfolio.errors, 'error')}, "
                 f"{_n(portfolio.warnings, 'warning')} · {counts['open']} open actions, {counts['overdue']} overdue, "
                 f"{counts['blocked']} blocked")
    if portfolio.refused:
        lines.append(f"{_n(len(portfolio.refused), 'file')} not usable:")
        lines += [f"  {r.reason}" for r in portfolio.refused]
    return lines
