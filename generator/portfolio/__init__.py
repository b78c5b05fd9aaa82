"""The manager's portfolio: many account plans rolled up, from each plan's own figures.

`roll_up(results)` takes assessed plans (`pipeline.Result`s, or `PlanEntry`s made from them in a worker) and
files that could not be used (`Refused`), and gives a `Portfolio`: one entry per plan, every open action and
every finding across plans, and totals. Nothing is re-derived: each plan's numbers are its `Figures` (the
same the plan's own deck, document and workbook show), and a total is the sum of the plans' figures, kept
per currency: plans in different currencies are never added together (`Portfolio.totals` has one
`CurrencyTotal` per currency).

`workbook.render` writes the portfolio workbook and `deck.render` the portfolio deck; `to_json` is the
`portfolio --json` report.

With `portfolio --since DIR`, `compare_since` matches each plan to its earlier version among the plans in DIR
(by account name, as `diff.account_key` keys it; of several, the latest plan date) and gives each entry a
`Since`: the `diff.PlanDiff` of the two versions, the same diff `accountplan diff` and `build --since` make.
Nothing else is worked out here: each move is that diff's summary and its figures' before and after.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from ..errors import Refusal
from ..records import record

MONEY = ("annual_target", "secured", "forecast", "pipeline", "prospect", "weighted_open", "gap_to_target",
         "uncovered_gap", "surplus", "whitespace_open")
"""The money figures a portfolio adds up (per currency)."""


@record
class OpenAction:
    """An open action of a plan, as the plan's figures list it (earliest due first)."""

    file: str
    account: str
    action: str
    owner: str
    due: dt.date | None
    status: str
    overdue: bool
    blocked: bool
    sheet: str = ""
    cell: str = ""


@record
class PlanFinding:
    """A finding of one plan, with the file it is in."""

    file: str
    account: str
    severity: str
    code: str
    section: str
    sheet: str
    cell: str
    message: str
    hint: str


MOVED, UNCHANGED, NEW, UNNAMED, UNUSABLE = "moved", "unchanged", "new", "unnamed", "unusable"


@record
class Since:
    """A plan against its earlier version (`portfolio --since DIR`). `status`: moved, unchanged (the diff is
    empty), new (no earlier version of the account), unnamed (no account name to match by) or unusable (the
    earlier version could not be compared: `reason`). `diff`: the `diff.PlanDiff` from `earlier` (a file in
    DIR) to this plan; `versions`: how many earlier versions of the account DIR holds (the latest is taken)."""

    status: str
    diff: Any = None
    earlier: str = ""
    versions: int = 0
    reason: str = ""
    file: str = ""                  # the plan's own file

    def since_line(self) -> str:
        """One plain line of progress: `moved: plans/harbor.xlsx since q3/harbor.xlsx`."""
        return f"{self.status}: {self.file}" + (f" since {self.earlier}" if self.earlier else "")

    def change(self, key: str) -> float | None:
        """The signed move of the money figure `key` (after − before) as the diff gives it: 0 when it did not
        move, None without a diff or when the two amounts cannot be compared (a currency changed, a figure
        appeared or went)."""
        if self.diff is None:
            return None
        for c in self.diff.figures:
            if c.key == key:
                return None if c.delta is None else (c.after - c.before)
        return 0.0

    def text(self, words: dict[str, str]) -> str:
        """What moved, in a line: the diff's summary, or why there is none (`words`: the kit's `wording.diff`)."""
        if self.diff is not None:
            return self.diff.summary
        if self.status == UNNAMED:
            return words["no_account_name"]
        if self.status == UNUSABLE:
            return words["earlier_unusable"].format(reason=self.reason)
        return words["new_since"]

    def earlier_text(self, words: dict[str, str]) -> str:
        """The earlier version compared with, and that it is the latest of several when it is."""
        if not self.earlier:
            return ""
        return words["latest_of"].format(file=self.earlier, count=self.versions) if self.versions > 1 \
            else self.earlier


@record
class SinceRun:
    """The earlier versions of a `portfolio --since DIR`: the folder, how many plans were read there, the files
    that could not be used (listed, never in the way) and the accounts of DIR with no plan now."""

    folder: str
    earlier: int
    refused: tuple[Refused, ...] = ()
    gone: tuple[str, ...] = ()


@record
class PlanEntry:
    """What the portfolio keeps of one assessed plan (plain data: it travels from a worker process)."""

    file: str
    account: str                    # the account's name ("" when the plan gives none)
    owner: str
    currency: str
    figures: Any                    # the plan's `Figures`
    figures_json: dict              # the contract's JSON figures (`report.to_json(result)["figures"]`)
    errors: int
    warnings: int
    decision_maker: bool            # a stakeholder has the Decision maker role
    actions: tuple[OpenAction, ...] = ()
    findings: tuple[PlanFinding, ...] = ()
    plan_date: dt.date | None = None  # the plan's own date (which of two versions of one account is the later)
    since: Since | None = None        # what moved since the earlier version (`portfolio --since`), else None

    @property
    def name(self) -> str:
        """The account's name, or the file's name when the plan gives none."""
        return self.account or f"({Path(self.file).name})"

    def money(self, key: str) -> float | None:
        return getattr(self.figures, key)


@record
class Refused:
    """A file the portfolio could not use, and why."""

    file: str
    refusal: Refusal
    reason: str                     # one line

    @classmethod
    def of(cls, file: str, error) -> Refused:
        """From an `AccountPlanError`."""
        return cls(file, error.refusal, error.one_line())


@record
class CurrencyTotal:
    """The plans in one currency, added up: sums of each plan's own figures."""

    currency: str
    plans: int
    with_target: int                # plans that give an annual target (only theirs add to the target and gaps)
    annual_target: float
    secured: float
    forecast: float
    pipeline: float
    prospect: float
    weighted_open: float
    weighted_by_stage: dict[str, float]
    gap_to_target: float
    uncovered_gap: float
    surplus: float                  # secured and weighted open above target, on the plans that are covered
    whitespace_open: float
    above_target: int = 0           # plans whose secured and weighted open pass their target
    # The same, over the plans with a target only: the path to the number adds up to their target.
    path_secured: float = 0.0
    path_by_stage: dict[str, float] = field(default_factory=dict)

    @property
    def open_value(self) -> float:
        return self.forecast + self.pipeline + self.prospect

    @property
    def pipeline_coverage(self) -> float | None:
        """All open value, unweighted, against the summed gap to target (as each plan's coverage is)."""
        return self.open_value / self.gap_to_target if self.gap_to_target else None

    def value(self, key: str) -> float:
        return getattr(self, key)


@record
class Portfolio:
    plans: tuple[PlanEntry, ...]                     # by account name
    refused: tuple[Refused, ...]
    totals: dict[str, CurrencyTotal]                 # by currency, the currency of most plans first
    as_of: dt.date | None
    since: SinceRun | None = None                    # the earlier versions (`portfolio --since DIR`), else None

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(self.totals)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.plans)

    @property
    def warnings(self) -> int:
        return sum(p.warnings for p in self.plans)

    @property
    def plans_with_errors(self) -> int:
        return sum(1 for p in self.plans if p.errors)

    @property
    def actions(self) -> tuple[OpenAction, ...]:
        """Every open action across plans: overdue first, then by due date (undated last), then account."""
        every = [a for p in self.plans for a in p.actions]
        return tuple(sorted(every, key=lambda a: (not a.overdue, a.due is None, a.due or dt.date.max,
                                                  a.account.casefold(), a.file)))

    @property
    def findings(self) -> tuple[PlanFinding, ...]:
        return tuple(f for p in self.plans for f in p.findings)

    def action_counts(self) -> dict[str, int]:
        keys = ("open", "done", "blocked", "overdue", "due_soon")
        return {k: sum(getattr(p.figures.actions, k) for p in self.plans) for k in keys}

    def in_currency(self, currency: str) -> tuple[PlanEntry, ...]:
        return tuple(p for p in self.plans if p.currency == currency)


# Making entries -------------------------------------------------------------------------------------

def entry_of(result, kit=None) -> PlanEntry:
    """What the portfolio keeps of an assessed plan (`pipeline.Result`)."""
    from ..kit import default_kit
    from ..render.report import to_json

    definition = (kit or default_kit()).definition
    plan, f = result.plan, result.figures
    account = plan.account_name
    actions = []
    overdue = set(f.overdue_actions)
    for i in f.open_actions:
        row = plan.actions[i]
        status = row.status or definition.default_status
        place = row.place("action") if hasattr(row, "place") else None
        actions.append(OpenAction(plan.file, account, _line(row.action), _line(row.owner), row.due_date, status,
                                  i in overdue, status == definition.blocked,
                                  place.sheet if place else "", place.cell if place else ""))
    findings = tuple(PlanFinding(plan.file, account, x.severity, x.code, x.section, x.sheet, x.cell, x.message,
                                 x.hint) for x in result.findings)
    plan_date = plan.fields.get("plan_date")
    if isinstance(plan_date, dt.datetime):
        plan_date = plan_date.date()
    return PlanEntry(plan.file, account, _line(plan.fields.get("account_owner")), f.currency,
                     _portable(f), to_json(result)["figures"], len(result.errors), len(result.warnings),
                     bool(f.decision_makers), tuple(actions), findings,
                     plan_date if isinstance(plan_date, dt.date) else None)


def _portable(figures):
    """The figures without the per-row indexes no portfolio reads (smaller to send between processes)."""
    from dataclasses import replace

    return replace(figures, probabilities=(), past_close=())


def _line(value: Any) -> str:
    from .. import fmt

    return " ".join(fmt.text(value).split()) if value not in (None, "") else ""


# Rolling up ----------------------------------------------------------------------------------------

def roll_up(results: Iterable, kit=None, as_of: dt.date | None = None, since: SinceRun | None = None) -> Portfolio:
    """The portfolio of `results`: `pipeline.Result`s or `PlanEntry`s (plans) and `Refused` (files not used);
    `since`: the earlier versions the entries were compared with (`compare_since`)."""
    plans: list[PlanEntry] = []
    refused: list[Refused] = []
    for item in results:
        if isinstance(item, Refused):
            refused.append(item)
        elif isinstance(item, PlanEntry):
            plans.append(item)
        else:
            plans.append(entry_of(item, kit))
    plans.sort(key=lambda p: (p.account.casefold() or "\uffff", p.file))
    refused.sort(key=lambda r: r.file)
    counts: dict[str, int] = {}
    for p in plans:
        counts[p.currency] = counts.get(p.currency, 0) + 1
    order = sorted(counts, key=lambda c: (-counts[c], c))
    totals = {currency: _total(currency, [p for p in plans if p.currency == currency]) for currency in order}
    when = as_of or (plans[0].figures.as_of if plans else None)
    return Portfolio(tuple(plans), tuple(refused), totals, when, since)


def _total(currency: str, plans: list[PlanEntry]) -> CurrencyTotal:
    def total(key: str, among=plans) -> float:
        return math.fsum(p.money(key) or 0.0 for p in among)

    targeted = [p for p in plans if p.figures.annual_target is not None]
    stages = list(dict.fromkeys(stage for p in plans for stage in p.figures.weighted_by_stage))
    return CurrencyTotal(
        currency=currency, plans=len(plans), with_target=len(targeted),
        **{key: total(key) for key in MONEY},
        above_target=sum(1 for p in targeted if p.figures.surplus),
        weighted_by_stage={s: math.fsum(p.figures.weighted_by_stage.get(s, 0.0) for p in plans) for s in stages},
        path_secured=total("secured", targeted),
        path_by_stage={s: math.fsum(p.figures.weighted_by_stage.get(s, 0.0) for p in targeted) for s in stages},
    )


# The JSON report ------------------------------------------------------------------------------------

def number(value: float | None) -> float | int | None:
    """Money as a plain number, as the contract's report writes it: whole amounts as integers, else cents."""
    if value is None:
        return None
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def to_json(portfolio: Portfolio, kit=None) -> dict:
    """`{"plans": [...], "totals": {...}}`: each plan with the contract's figures, refused files with their
    refusal, and totals per currency (never one sum across currencies); after `compare_since`, each plan's
    `since` and `since_review`, and the run's `since` (words of the kit's `wording.diff`)."""
    compared = portfolio.since is not None
    words = _words(kit) if compared else {}
    plans = [{"file": p.file, "account_name": p.account or None, "figures": p.figures_json, "errors": p.errors,
              "warnings": p.warnings, "refused": None, **(_since_json(p.since, words) if compared else {})}
             for p in portfolio.plans]
    plans += [{"file": r.file, "account_name": None, "figures": None, "errors": None, "warnings": None,
               "refused": r.refusal.to_json(), **(_since_json(None, words) if compared else {})}
              for r in portfolio.refused]
    by_currency = {}
    for currency, t in portfolio.totals.items():
        by_currency[currency] = {"plans": t.plans, "plans_with_target": t.with_target,
                                 **{key: number(t.value(key)) for key in MONEY},
                                 "weighted_by_stage": {s: number(v) for s, v in t.weighted_by_stage.items()},
                                 "pipeline_coverage": None if t.pipeline_coverage is None
                                 else round(t.pipeline_coverage, 4)}
    report = {
        "plans": plans,
        "totals": {
            "as_of": portfolio.as_of.isoformat() if portfolio.as_of else None,
            "by_currency": by_currency,
            "plans": len(portfolio.plans),
            "refused": len(portfolio.refused),
            "plans_with_errors": portfolio.plans_with_errors,
            "errors": portfolio.errors,
            "warnings": portfolio.warnings,
            "actions": portfolio.action_counts(),
        },
    }
    if compared:
        report["since"] = _since_run_json(portfolio)
    return report


def _words(kit) -> dict[str, str]:
    from ..kit import default_kit

    return (kit or default_kit()).wording.diff


def _since_json(since: Since | None, words: dict[str, str]) -> dict:
    """A plan's `since` (the diff's own JSON, `diff.to_json`, or null) and `since_review`: how it was matched."""
    from ..diff import to_json as diff_json

    if since is None:
        return {"since": None, "since_review": None}
    return {"since": diff_json(since.diff) if since.diff is not None else None,
            "since_review": {"status": since.status, "earlier": since.earlier or None,
                             "earlier_versions": since.versions, "summary": since.text(words),
                             "secured_change": number(since.change("secured")),
                             "uncovered_gap_change": number(since.change("uncovered_gap")),
                             "reason": since.reason or None}}


def _since_run_json(portfolio: Portfolio) -> dict:
    run = portfolio.since
    counts = {status: sum(1 for p in portfolio.plans if p.since is not None and p.since.status == status)
              for status in (MOVED, UNCHANGED, NEW, UNNAMED, UNUSABLE)}
    return {"folder": run.folder, "earlier_read": run.earlier, **counts,
            "not_usable": [{"file": r.file, "refused": r.refusal.to_json()} for r in run.refused],
            "no_plan_now": list(run.gone)}


# Reading many plans ---------------------------------------------------------------------------------

def entry_task(path: str, as_of: dt.date | None, strict: bool, data: bytes | None = None,
               kit=None) -> PlanEntry | Refused:
    """Read and assess one plan (in a worker): its entry, or why the file cannot be used (`data`: the file's
    bytes, read elsewhere, shown as `path`)."""
    from ..batch import _kit
    from ..errors import AccountPlanError
    from ..pipeline import check

    kit = kit or _kit()
    try:
        return entry_of(check(path if data is None else data, as_of, strict, kit, path), kit)
    except AccountPlanError as exc:
        return Refused.of(path, exc)


PLANS_A_WORKER = 12


def collect(files: Iterable[str | Path], as_of: dt.date | None = None, strict: bool = False,
            jobs: int | None = None, kit=None, on_progress=None, scheduler=None) -> list[PlanEntry | Refused]:
    """Each file read and assessed, `jobs` at once (default: the processors), in the order given; a file
    that cannot be used (or breaks its worker) is a `Refused`, and never stops the others. `scheduler`: on a
    Dask cluster instead (`batch.open_executor`)."""
    from ..batch import default_jobs, open_executor

    names = [str(f) for f in files]
    found: list[PlanEntry | Refused | None] = [None] * len(names)
    done = 0

    def on_done(i: int, item) -> None:
        nonlocal done
        found[i] = item
        done += 1
        if on_progress:
            on_progress(done, len(names), item)

    def on_crash(i: int, why: str) -> Refused:
        return Refused(names[i], Refusal("crashed", why, file=names[i]), f"{names[i]}: {why}")

    if on_progress:
        on_progress(0, len(names), None)
    if jobs is None:        # a check takes hundredths of a second: a worker pays for starting after a dozen
        jobs = min(default_jobs(), max(1, len(names) // PLANS_A_WORKER))
    if names:
        with open_executor(jobs, kit, len(names), render=False, scheduler=scheduler) as workers:
            workers.read(names, as_of, strict, on_done, on_crash)
    return [item for item in found if item is not None]


# Since the last review ------------------------------------------------------------------------------

def since_task(path: str, earlier: str, as_of: dt.date | None, strict: bool, earlier_data: bytes | None = None,
               data: bytes | None = None, kit=None) -> Since:
    """Read and assess one plan and diff it against its earlier version `earlier` (in a worker), as
    `build --since` does (`diff.diff_since`); `data`/`earlier_data`: their bytes, read elsewhere."""
    from ..batch import _kit
    from ..diff import diff_since
    from ..errors import AccountPlanError
    from ..pipeline import check

    kit = kit or _kit()
    try:
        result = check(path if data is None else data, as_of, strict, kit, path)
        diff = diff_since(earlier if earlier_data is None else earlier_data, result, kit, name=earlier)
    except AccountPlanError as exc:
        return Since(UNUSABLE, earlier=earlier, reason=exc.one_line(), file=path)
    except Exception as exc:  # a bug of ours on this pair: reported on its row, the others go on
        return Since(UNUSABLE, earlier=earlier, reason=f"internal error: {type(exc).__name__}: {exc}", file=path)
    return Since(UNCHANGED if diff.empty else MOVED, diff, earlier, file=path)


def match_earlier(plans: list, earlier: list[PlanEntry]) -> tuple[list[Since], tuple[str, ...]]:
    """Each plan's earlier version among `earlier`, by account name (`diff.account_key`: case, spacing and
    punctuation set aside), never the plan's own file; of several, the one of the latest plan date (then the
    last file name). Gives a `Since` per plan without its diff yet (`earlier` set, or status new or unnamed),
    and the accounts of `earlier` that no plan has now. `plans`: anything with a `file` and an `account` (a
    `PlanEntry`, or a plan a batch build has checked)."""
    from ..diff import account_key

    versions: dict[str, list[PlanEntry]] = {}
    for e in earlier:
        if account_key(e.account):
            versions.setdefault(account_key(e.account), []).append(e)
    found = []
    for p in plans:
        key = account_key(p.account)
        if not key:
            found.append(Since(UNNAMED, file=p.file))
            continue
        candidates = [e for e in versions.get(key, []) if _resolved(e.file) != _resolved(p.file)]
        if not candidates:
            found.append(Since(NEW, file=p.file))
            continue
        latest = max(candidates, key=lambda e: (e.plan_date or dt.date.min, e.file))
        found.append(Since(MOVED, earlier=latest.file, versions=len(candidates), file=p.file))
    now = {account_key(p.account) for p in plans}
    gone = sorted({max(v, key=lambda e: (e.plan_date or dt.date.min, e.file)).account
                   for key, v in versions.items() if key not in now}, key=str.casefold)
    return found, tuple(gone)


def _resolved(file: str) -> Path:
    try:
        return Path(file).resolve()
    except OSError:
        return Path(file).absolute()


def compare_since(items: list, files: Iterable[str | Path], folder: str | Path, as_of: dt.date | None = None,
                  strict: bool = False, jobs: int | None = None, kit=None, on_progress=None,
                  scheduler=None) -> tuple[list, SinceRun]:
    """`items` (what `collect` gave) with each plan's `Since` against its earlier version among `files` (the
    plans found in `folder`), and the record of the run (`SinceRun`). The earlier files are read as `collect`
    reads plans (one that cannot be used is listed in the record and stops nothing), each plan is matched
    (`match_earlier`), then each plan with an earlier version is read again with it and diffed (`since_task`)
    on the same workers: on a Dask cluster, both files' bytes travel with the task. `on_progress(done, total,
    item)` hears each earlier file read (a `PlanEntry` or `Refused`) and each plan compared (a `Since`)."""
    from ..batch import default_jobs, open_executor

    files = list(files)
    plans = [i for i, item in enumerate(items) if isinstance(item, PlanEntry)]
    total, done = len(files) + len(plans), 0
    compared: list[Since | None] = [None] * len(plans)

    def tell(item) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total, item)

    if on_progress:
        on_progress(0, total, None)
    if jobs is None:
        jobs = min(default_jobs(), max(1, total // PLANS_A_WORKER))
    with open_executor(jobs, kit, max(1, total), render=False, scheduler=scheduler) as workers:
        matched, run = match_in(workers, [items[i] for i in plans], files, folder, as_of, tell)
        pairs = [k for k, m in enumerate(matched) if m.earlier]
        for k, m in enumerate(matched):
            if not m.earlier:
                compared[k] = m
                tell(m)

        def diffed(j: int, since: Since) -> None:
            k = pairs[j]
            compared[k] = replace(since, versions=matched[k].versions)
            tell(compared[k])

        if pairs:
            when = items[plans[0]].figures.as_of           # the day the plans were assessed as of
            workers.since([(matched[k].file, matched[k].earlier) for k in pairs], when, strict, diffed,
                          lambda j, why: Since(UNUSABLE, earlier=matched[pairs[j]].earlier, reason=why,
                                               file=matched[pairs[j]].file))
    out = list(items)
    for k, i in enumerate(plans):
        out[i] = replace(items[i], since=compared[k])
    return out, run


def match_in(workers, plans: list, files: Iterable[str | Path], folder: str | Path, as_of: dt.date | None = None,
             on_read=None) -> tuple[list[Since], SinceRun]:
    """Each of `plans` (as `match_earlier` takes them) matched to its earlier version among `files` (the plans
    found in `folder`), which are read on `workers` (a `batch.Executor`) as `collect` reads plans: one that
    cannot be used (or breaks its worker) is listed in the record (`SinceRun`) and stops nothing.
    `on_read(item)` hears each earlier file read (a `PlanEntry` or a `Refused`). What `portfolio --since` and
    `build PATH... --since DIR` both match by."""
    names = [str(f) for f in files]
    earlier: list[PlanEntry | Refused | None] = [None] * len(names)

    def read(i: int, item) -> None:
        earlier[i] = item
        if on_read:
            on_read(item)

    def on_crash(i: int, why: str) -> Refused:
        return Refused(names[i], Refusal("crashed", why, file=names[i]), f"{names[i]}: {why}")

    if names:
        workers.read(names, as_of, False, read, on_crash)
    usable = [e for e in earlier if isinstance(e, PlanEntry)]
    matched, gone = match_earlier(plans, usable)
    refused = tuple(sorted((e for e in earlier if isinstance(e, Refused)), key=lambda r: r.file))
    return matched, SinceRun(str(folder), len(usable), refused, gone)


def moved(portfolio: Portfolio) -> list[PlanEntry]:
    """The plans that moved since their earlier version, the largest move first: per currency (in the
    portfolio's order: amounts of two currencies are never weighed against each other), by how far the
    uncovered gap moved, then what is secured, then how many changes the diff lists, then by name."""
    from ..diff import change_rows

    order = {currency: n for n, currency in enumerate(portfolio.totals)}

    def size(p: PlanEntry) -> tuple:
        since = p.since
        return (order.get(p.currency, len(order)), -abs(since.change("uncovered_gap") or 0.0),
                -abs(since.change("secured") or 0.0), -len(change_rows(since.diff)), p.name.casefold(), p.file)

    return sorted((p for p in portfolio.plans if p.since is not None and p.since.status == MOVED), key=size)


def with_status(portfolio: Portfolio, *statuses: str) -> list[PlanEntry]:
    return [p for p in portfolio.plans if p.since is not None and p.since.status in statuses]


def since_lines(portfolio: Portfolio, kit=None) -> list[str]:
    """`portfolio --since` in a few lines of text: how many plans moved, each move's summary (largest first),
    the plans new since the last review, the earlier files not usable."""
    run = portfolio.since
    if run is None:
        return []
    words = _words(kit)
    plans = moved(portfolio)
    others = with_status(portfolio, UNCHANGED, NEW, UNNAMED, UNUSABLE)
    counts = {status: len(with_status(portfolio, status)) for status in (MOVED, UNCHANGED, NEW, UNNAMED, UNUSABLE)}
    lines = [f"since {run.folder} ({run.earlier} earlier plans): " + ", ".join(
        f"{n} {status}" for status, n in counts.items() if n)]
    lines += [f"  {p.name}: {p.since.text(words)}" for p in plans]
    lines += [f"  {p.name}: {p.since.text(words)}" for p in others if p.since.status != UNCHANGED]
    if run.refused:
        lines.append(f"{len(run.refused)} earlier file{'s' if len(run.refused) != 1 else ''} not usable:")
        lines += [f"  {r.reason}" for r in run.refused]
    return lines


# Writing ------------------------------------------------------------------------------------------

FILES = {"workbook": "portfolio.xlsx", "deck": "portfolio.pptx"}


def write(portfolio: Portfolio, out: str | Path, kit=None, on_written=None) -> list[Path]:
    """Write `out/portfolio.xlsx` and `out/portfolio.pptx`: both or neither, never over a file of the same name
    that accountplan did not write (`OutputError`, exit 3)."""
    from .. import PRODUCER
    from ..errors import OutputError
    from ..kit import default_kit
    from ..pipeline import _core_properties, _prepare_folder, atomic_outputs
    from . import deck, workbook

    kit = kit or default_kit()
    folder = Path(out)
    _prepare_folder(folder)
    targets = [folder / name for name in FILES.values()]
    for target in targets:
        if target.exists() or target.is_symlink():
            recorded = _core_properties(target) if target.is_file() else None
            if recorded is None or recorded.get("lastModifiedBy") != PRODUCER:
                raise OutputError("exists and was not written by accountplan; move it or choose another folder",
                                  file=str(target))
    with atomic_outputs(targets) as (book, slides):
        workbook.render(portfolio, book, kit)
        deck.render(portfolio, slides, kit)
    if on_written:
        for target in targets:
            on_written(target)
    return targets
