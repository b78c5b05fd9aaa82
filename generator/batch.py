"""Many plans at once: find the workbooks, check and build each in a pool of worker processes.

`build_many` is what `accountplan build PATH... -o OUT` runs when it is given a folder or several files:
each plan's deck, document and checked workbook go into `OUT/<account>/`, built by `pipeline.build` exactly
as a single plan is (all three or none, never over another account's files). One plan that cannot be used,
has errors or breaks its worker never stops the others: each gets a `PlanOutcome`, its outputs or its
one-line reason.

The work runs in two passes over one pool. First every plan is read and checked (a few hundredths of a
second each), so that each account's folder is chosen knowing every account of the batch, in the order the
plans were given: two accounts whose names make the same folder name (`ACME Ltd`, `Acme  ltd.`) are both
kept, the second in `acme-ltd-2`, and an account keeps the folder an earlier run gave it. Then each plan is
built into its folder. With `--since DIR`, in between, the plans of DIR are read on the same pool and each
plan is matched to its earlier version there (as `portfolio --since` matches), which its build then compares
it with. Workers import the libraries once (`_start_worker`) and build many plans each. With
`scheduler`, the same two passes run on a Dask cluster instead (`cluster.DaskExecutor`, the other `Executor`):
each plan's bytes go to a worker and its outputs' bytes come back, written here as the pool writes them.

This module imports no rendering library itself; the CLI's progress bar and table (rich) live in the CLI.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Protocol

from . import PRODUCER
from .errors import (EXIT_OK, EXIT_OUTPUT_REFUSED, EXIT_PLAN_HAS_ERRORS, EXIT_UNUSABLE_FILE, AccountPlanError,
                     Refusal)
from .kit import Kit
from .records import record

EXIT_INTERNAL = 4
LOCK_PREFIX = "~$"          # Office's lock file beside an open workbook: `~$plan.xlsx`
PLAN_SUFFIX = ".xlsx"


# What a batch gives back --------------------------------------------------------------------------

@record
class PlanOutcome:
    """What became of one plan of a batch: where its outputs went, or why there are none."""

    file: str                             # the workbook, as found
    account: str = ""                     # the account's name ("" when the file could not be used, or unnamed)
    folder: str | None = None             # the folder its outputs went into
    outputs: tuple[str, ...] = ()         # the files written, in `pipeline.OUTPUTS` order
    errors: int = 0
    warnings: int = 0
    summary: str = ""                     # the plan's one line: completeness, gap, errors and warnings
    refusal: Refusal | None = None        # why nothing was written (the file, or an output, refused)
    reason: str = ""                      # that, as one line
    exit_code: int = EXIT_OK
    collision: str = ""                   # why the folder is not the account's own name, when it is not
    seconds: float = 0.0
    since: Any = None                     # with `--since DIR`: its earlier version there (a `portfolio.Since`,
                                          # no diff: `earlier`, or status new or unnamed); else None

    @property
    def written(self) -> bool:
        return bool(self.outputs)

    @property
    def failed(self) -> bool:
        """Nothing written: the file was unusable, an output was refused, or a worker failed."""
        return not self.outputs

    @property
    def status(self) -> str:
        if self.exit_code == EXIT_UNUSABLE_FILE:
            return "not usable"
        if self.exit_code == EXIT_OUTPUT_REFUSED:
            return "not written"
        if self.exit_code == EXIT_INTERNAL:
            return "failed"
        return "built with errors" if self.errors else "built"


@record
class Skipped:
    """A file a folder search passed over, and why."""

    file: str
    why: str        # "lock file" or "accountplan output"


def exit_code(outcomes: Iterable[PlanOutcome]) -> int:
    """The batch's exit code: the worst of its plans (4 a worker failed, 3 an output refused, 2 a file not
    usable, 1 a plan with errors, else 0)."""
    return max((o.exit_code for o in outcomes), default=EXIT_OK)


# Finding the plans --------------------------------------------------------------------------------

def find_plans(paths: Iterable[str | os.PathLike], skip: str | os.PathLike | None = None
               ) -> tuple[list[Path], list[Skipped]]:
    """The workbooks to build, in the order given, each once: a file as it is (even one that is no workbook:
    its build says why), a folder searched recursively for `.xlsx` files in name order, passing over
    Office's lock files (`~$*.xlsx`), hidden files and folders, our own outputs (files whose core properties
    say accountplan saved them last) and anything under `skip` (the output folder)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    skip_at = _resolved(Path(skip)) if skip is not None else None

    def add(path: Path) -> None:
        key = _resolved(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for given in map(Path, paths):
        if not given.is_dir():
            add(given)
            continue
        for path in sorted(_walk(given)):
            if skip_at is not None and _within(_resolved(path), skip_at):
                continue
            if path.name.startswith(LOCK_PREFIX):
                skipped.append(Skipped(str(path), "lock file"))
            elif _ours(path):
                skipped.append(Skipped(str(path), "accountplan output"))
            else:
                add(path)
    return found, skipped


def _walk(folder: Path) -> Iterable[Path]:
    for root, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            if name.lower().endswith(PLAN_SUFFIX) and not name.startswith("."):
                yield Path(root) / name


def _ours(path: Path) -> bool:
    from .pipeline import _core_properties

    recorded = _core_properties(path)
    return recorded is not None and recorded.get("lastModifiedBy") == PRODUCER


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# The worker's side ------------------------------------------------------------------------------

_KIT: Kit | None = None


READING = ("generator.plan.reader", "generator.assess.validate", "generator.render.report")
RENDERING = ("generator.view", "generator.render.deck", "generator.render.document", "generator.render.checked")


def _start_worker(kit: Kit | None = None, render: bool = True) -> None:
    """Once per worker process: import every library a build needs (so each plan pays none of it; `render`:
    the renderers' too), take the kit, and leave Ctrl-C to the parent (which stops handing out plans; a build
    under way completes)."""
    import importlib
    import signal

    global _KIT
    with contextlib.suppress(ValueError, OSError):       # not in the main thread of the process: nothing to do
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for module in READING + (RENDERING if render else ()):
        importlib.import_module(module)
    from .kit import default_kit

    _KIT = kit or default_kit()


def _kit() -> Kit:
    global _KIT
    if _KIT is None:
        from .kit import default_kit

        _KIT = default_kit()
    return _KIT


@record
class _Checked:
    """A plan read and checked by a worker: enough to choose its folder."""

    account: str = ""
    stem: str = ""
    refusal: Refusal | None = None
    reason: str = ""
    exit_code: int = EXIT_OK
    file: str = ""                  # the workbook, as found (set by the batch: what `--since DIR` matches by)


def check_task(path: str, as_of: dt.date | None, strict: bool, data: bytes | None = None,
               kit: Kit | None = None) -> _Checked:
    """Read and check one plan (in a worker): its account and its outputs' file-name stem, or why not. `data`:
    the file's bytes, read elsewhere (a cluster's worker has no such file), shown as `path`."""
    from .pipeline import check

    try:
        result = check(path if data is None else data, as_of, strict, kit or _kit(), path)
    except AccountPlanError as exc:
        return _Checked(refusal=exc.refusal, reason=exc.one_line(), exit_code=exc.exit_code)
    except Exception as exc:  # a bug of ours on this plan: it is reported, the others go on
        refusal, reason = _internal(path, exc)
        return _Checked(refusal=refusal, reason=reason, exit_code=EXIT_INTERNAL)
    return _Checked(result.plan.account_name, result.stem)


def build_task(path: str, folder: str, as_of: dt.date | None, strict: bool, data: bytes | None = None,
               kit: Kit | None = None, since: str | None = None) -> PlanOutcome:
    """Build one plan into `folder` (in a worker), as `accountplan build FILE -o FOLDER` does (`data`: as
    `check_task`); with `since` (its earlier version's file), as `build FILE --since OLD` does."""
    return built_task(path, folder, as_of, strict, data, kit, since)[0]


def built_task(path: str, folder: str, as_of: dt.date | None, strict: bool, data: bytes | None = None,
               kit: Kit | None = None, since: str | None = None, since_data: bytes | None = None
               ) -> tuple[PlanOutcome, Any]:
    """`build_task`, and the plan's `pipeline.Result` (None when it was not built); `since_data`: the earlier
    version's bytes, read elsewhere (shown as `since`)."""
    from .pipeline import build, view_of
    from .render import report

    kit = kit or _kit()
    start = time.monotonic()
    try:
        result, written = build(path if data is None else data, folder, as_of, strict, kit=kit, name=path,
                                since=since_data if since_data is not None else since or None,
                                since_name=since or "")
    except AccountPlanError as exc:
        return PlanOutcome(path, refusal=exc.refusal, reason=exc.one_line(), exit_code=exc.exit_code,
                           seconds=time.monotonic() - start), None
    except Exception as exc:
        refusal, reason = _internal(path, exc)
        return PlanOutcome(path, refusal=refusal, reason=reason, exit_code=EXIT_INTERNAL,
                           seconds=time.monotonic() - start), None
    errors = len(result.errors)
    return PlanOutcome(path, result.plan.account_name, folder, tuple(map(str, written)), errors,
                       len(result.warnings), report.summary_line(view_of(result, kit)),
                       exit_code=EXIT_PLAN_HAS_ERRORS if errors else EXIT_OK,
                       seconds=time.monotonic() - start), result


def _internal(path: str, exc: Exception) -> tuple[Refusal, str]:
    message = f"internal error: {type(exc).__name__}: {exc}"
    return Refusal("internal-error", message, "please report it", path), f"{path}: {message}"


# Where the plans are worked on ----------------------------------------------------------------------

CRASHED = "the worker process stopped while building this plan (out of memory, or killed)"

Done = Callable[[int, Any], None]
Crash = Callable[[int, str], Any]


class Executor(Protocol):
    """Where a batch's plans are worked on: `Workers`, processes of this machine that read each file where it
    is, or `cluster.DaskExecutor`, a Dask cluster whose workers get each file's bytes and send the outputs'
    bytes back. Each call runs one task a plan and calls `on_done(i, value)` in this process as each
    completes; a task that fails outside itself (its worker died) has `on_crash(i, why)` as its value. A
    context manager: leaving it stops the work (hands out nothing more)."""

    def check(self, files: Sequence[str], as_of: dt.date | None, strict: bool, on_done: Done,
              on_crash: Crash) -> None:
        """Each file read and checked: a `_Checked` (`check_task`)."""

    def build(self, plans: Sequence[tuple[str, str, str | None]], as_of: dt.date | None, strict: bool,
              on_done: Done, on_crash: Crash) -> None:
        """Each (file, folder, earlier): the plan built into the folder, with what changed since `earlier` (its
        earlier version's file; None: without), a `PlanOutcome` (`build_task`)."""

    def read(self, files: Sequence[str], as_of: dt.date | None, strict: bool, on_done: Done,
             on_crash: Crash) -> None:
        """Each file read and assessed for a portfolio: a `PlanEntry` or a `Refused` (`portfolio.entry_task`)."""

    def since(self, pairs: Sequence[tuple[str, str]], as_of: dt.date | None, strict: bool, on_done: Done,
              on_crash: Crash) -> None:
        """Each (plan, its earlier version) read and diffed for `portfolio --since`: a `portfolio.Since`
        (`portfolio.since_task`)."""

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc_info) -> None: ...


def open_executor(jobs: int, kit: Kit | None = None, tasks: int | None = None, render: bool = True,
                  scheduler: Any = None) -> Executor:
    """`Workers` (`jobs` processes), or with `scheduler` (a Dask scheduler's address, "local" for a cluster of
    `jobs` processes on this machine, or a `distributed.Client`) the Dask cluster (`cluster.DaskExecutor`)."""
    if scheduler is None:
        return Workers(jobs, kit, tasks, render)
    from .cluster import DaskExecutor

    return DaskExecutor(scheduler, jobs, kit, tasks)


# The pool ---------------------------------------------------------------------------------------


class Workers:
    """Worker processes that each import the libraries once and run many tasks; with one job, this process.

    At most one task a worker is handed out at a time, so when a worker dies (a crash, the out-of-memory
    killer) the tasks under way are known: the others go on in a new pool, and those are retried one at a
    time at the end; one that kills its worker alone gets `on_crash`'s answer."""

    def __init__(self, jobs: int, kit: Kit | None = None, tasks: int | None = None, render: bool = True):
        self.jobs = max(1, min(jobs, tasks)) if tasks else max(1, jobs)
        self.kit, self.render = kit, render
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs == 1:
            global _KIT
            from .kit import default_kit

            _KIT = kit or default_kit()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close(cancel=exc_info[0] is not None)

    def close(self, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        import multiprocessing

        if self._pool is None:
            # Fresh interpreters, not forks: nothing of this process (its threads, a progress bar's) is copied.
            self._pool = ProcessPoolExecutor(self.jobs, multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self.kit, self.render))
        return self._pool

    # The plan tasks (`Executor`): each file read where it is.
    def check(self, files, as_of, strict, on_done, on_crash) -> None:
        self.run(check_task, [(file, as_of, strict) for file in files], on_done, on_crash)

    def build(self, plans, as_of, strict, on_done, on_crash) -> None:
        self.run(build_task, [(file, folder, as_of, strict, None, None, earlier) for file, folder, earlier in plans],
                 on_done, on_crash)

    def read(self, files, as_of, strict, on_done, on_crash) -> None:
        from .portfolio import entry_task

        self.run(entry_task, [(file, as_of, strict) for file in files], on_done, on_crash)

    def since(self, pairs, as_of, strict, on_done, on_crash) -> None:
        from .portfolio import since_task

        self.run(since_task, [(file, earlier, as_of, strict) for file, earlier in pairs], on_done, on_crash)

    def run(self, task: Callable, args: Sequence[tuple], on_done: Callable[[int, Any], None],
            on_crash: Callable[[int, str], Any]) -> None:
        """`task(*args[i])` for every i, calling `on_done(i, value)` (in this process) as each completes; a
        task that kills its worker or fails outside itself has `on_crash(i, why)` as its value."""
        if self.jobs == 1:
            for i, arguments in enumerate(args):
                on_done(i, task(*arguments))
            return
        suspects = self._round(task, args, list(range(len(args))), on_done, on_crash, self.jobs)
        for i in suspects:                              # under way when a worker died: each alone
            if self._round(task, args, [i], on_done, on_crash, 1):
                on_done(i, on_crash(i, CRASHED))

    def _round(self, task, args, queue: list[int], on_done, on_crash, at_once: int) -> list[int]:
        """Run the tasks of `queue`, `at_once` at a time; those under way when a worker died."""
        queue, suspects = list(reversed(queue)), []
        running: dict[Future, int] = {}
        try:
            while queue or running:
                while queue and len(running) < at_once:
                    i = queue.pop()
                    running[self._executor().submit(task, *args[i])] = i
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    wait(running)                       # every task under way ends with the broken pool
                    done = set(running)
                    self._pool.shutdown(wait=True)
                    self._pool = None
                for future in done:
                    i, failure = running.pop(future), future.exception()
                    if isinstance(failure, BrokenProcessPool):
                        suspects.append(i)
                    elif failure is not None:           # the task's arguments or answer could not be sent
                        on_done(i, on_crash(i, f"internal error: {type(failure).__name__}: {failure}"))
                    else:
                        on_done(i, future.result())
        finally:
            for future in running:                      # interrupted: hand out nothing more
                future.cancel()
        return suspects


# Choosing each account's folder ------------------------------------------------------------------

@record(frozen=False)
class _Placed:
    index: int
    account: str
    stem: str
    folder: str = ""
    note: str = ""


def choose_folders(plans: list[tuple[str, str, str]], out: Path) -> list[tuple[str, str]]:
    """(folder name, note) for each (file, account, stem), in the order given: the stem itself when no other
    plan of the batch and no earlier build of another account holds it, else the first free `stem-2`,
    `stem-3`... An account whose folder an earlier run made keeps it."""
    from .pipeline import _same_account

    placed = [_Placed(i, account, stem) for i, (_, account, stem) in enumerate(plans)]
    taken: dict[str, _Placed] = {}
    owners: dict[str, set[str]] = {}

    def owner(name: str) -> set[str] | None:
        """The accounts whose outputs an earlier build left in `out/name` (None: no such folder)."""
        if name not in owners:
            owners[name] = _folder_accounts(out / name)
        return owners[name]

    def candidates(stem: str):
        yield stem
        n = 2
        while True:
            yield f"{stem}-{n}"
            n += 1

    for plan in placed:                          # an account keeps the folder an earlier build gave it
        for name in candidates(plan.stem):
            accounts = owner(name)
            if accounts is None:
                break
            if name not in taken and accounts and all(_same_account(a, plan.account) for a in accounts):
                plan.folder, taken[name] = name, plan
                break
    for plan in placed:
        if plan.folder:
            continue
        for name in candidates(plan.stem):
            accounts = owner(name)
            if name not in taken and (accounts is None or all(_same_account(a, plan.account) for a in accounts)):
                plan.folder, taken[name] = name, plan
                break
    for plan in placed:
        if plan.folder == plan.stem:
            continue
        holder = taken.get(plan.stem)
        if holder is None:
            names = ", ".join(f"'{a}'" for a in sorted(owner(plan.stem) or ())) or "other files"
            plan.note = f"{plan.stem}/ holds the outputs of {names} from an earlier build"
        elif _same_account(holder.account, plan.account):
            plan.note = f"the same account as {plans[holder.index][0]}"
        else:
            plan.note = f"'{holder.account}' ({plans[holder.index][0]}) makes the same folder name"
        plan.note += f": written to {plan.folder}/"
    return [(plan.folder, plan.note) for plan in placed]


def _folder_accounts(folder: Path) -> set[str] | None:
    """The accounts (titles) of our outputs in `folder`; None when there is no such folder; a file where the
    folder would be counts as held by nobody we know (a name no account matches)."""
    from .pipeline import OUTPUTS, _core_properties

    if not (folder.exists() or folder.is_symlink()):
        return None
    if not folder.is_dir():
        return {"\0a file"}
    accounts = set()
    suffixes = tuple(suffix for suffix, _ in OUTPUTS.values())
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            if path.name.endswith(suffixes) and not path.name.startswith("."):
                recorded = _core_properties(path)
                if recorded and recorded.get("lastModifiedBy") == PRODUCER:
                    accounts.add(recorded.get("title", ""))
    return accounts


# The batch --------------------------------------------------------------------------------------

Progress = Callable[[int, int, "PlanOutcome | None"], None]
"""`on_progress(done, total, outcome)`: called with (0, total, None) once the plans are found, then once a
plan is finished (built, or refused) with its outcome."""


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build_many(paths: Iterable[str | os.PathLike], out: str | os.PathLike, as_of: dt.date | None = None,
               strict: bool = False, jobs: int | None = None, kit: Kit | None = None,
               on_progress: Progress | None = None, files: list[Path] | None = None,
               scheduler: Any = None, since: str | os.PathLike | None = None,
               on_since: Callable[[Any], None] | None = None,
               on_step: Callable[[str, int, int], None] | None = None) -> list[PlanOutcome]:
    """Build every plan found under `paths` (see `find_plans`) into `out/<account>/`, `jobs` at once (default:
    the processors); one outcome per plan, in the order found. `files` skips the search (already found).
    `scheduler`: build on a Dask cluster instead (see `open_executor`), the same outputs.

    `since`: a folder of the last review's plans (`build PATH... --since DIR`). Once checked, each plan is
    matched to its earlier version there as `portfolio --since` matches (`portfolio.match_in`) and built
    with it, as `build FILE --since OLD` builds; its outcome's `since` says which (or that it is new).
    `on_since` hears the record of the earlier versions (a `portfolio.SinceRun`: the files not usable).

    `on_step(stage, done, total)` hears the work before a plan can be done: each plan `checking` (every
    plan is read whole first, to choose the folders), each earlier plan `reading the last review`, then
    `building` with the plans done so far (`Reporter.step`)."""
    from .pipeline import _prepare_folder

    out = Path(out)
    if files is None:
        files, _ = find_plans(paths, skip=out)
    names = [str(path) for path in files]
    total = len(names)
    outcomes: list[PlanOutcome | None] = [None] * total
    done = 0

    def finish(i: int, outcome: PlanOutcome) -> None:
        nonlocal done
        outcomes[i] = outcome
        done += 1
        if on_progress:
            on_progress(done, total, outcome)

    if on_progress:
        on_progress(0, total, None)
    if not names:
        return []
    _prepare_folder(out)                       # a folder that cannot be made stops the batch: nothing can be written
    step = on_step or (lambda stage, done, total: None)
    with open_executor(jobs or default_jobs(), kit, total, scheduler=scheduler) as workers:
        checked: dict[int, _Checked] = {}
        step("checking", 0, total)

        def on_checked(i: int, result: _Checked) -> None:
            step("checking", len(checked) + done + 1, total)
            if result.refusal is not None:
                finish(i, PlanOutcome(names[i], refusal=result.refusal, reason=result.reason,
                                      exit_code=result.exit_code))
            else:
                checked[i] = replace(result, file=names[i])

        workers.check(names, as_of, strict, on_checked,
                      lambda i, why: _Checked(refusal=Refusal("crashed", why, file=names[i]),
                                              reason=f"{names[i]}: {why}", exit_code=EXIT_INTERNAL))
        order = sorted(checked)
        folders = choose_folders([(names[i], checked[i].account, checked[i].stem) for i in order], out)
        notes = {i: note for i, (_, note) in zip(order, folders)}
        matched: list[Any] = [None] * len(order)      # each plan's `portfolio.Since` (with `since`)
        if since is not None:
            from .portfolio import match_in

            earlier, _ = find_plans([since], skip=out)
            read = iter(range(1, len(earlier) + 1))
            step("reading the last review", 0, len(earlier))
            matched, run = match_in(workers, [checked[i] for i in order], earlier, since, as_of,
                                    lambda _: step("reading the last review", next(read), len(earlier)))
            if on_since:
                on_since(run)
        plans = [(names[i], str(out / folder), getattr(m, "earlier", "") or None)
                 for i, (folder, _), m in zip(order, folders, matched)]

        def on_built(k: int, outcome: PlanOutcome) -> None:
            i = order[k]
            finish(i, replace(outcome, file=names[i], collision=notes[i], since=matched[k]))

        step("building", done, total)
        workers.build(plans, as_of, strict, on_built,
                      lambda k, why: PlanOutcome(names[order[k]], checked[order[k]].account,
                                                 refusal=Refusal("crashed", why, file=names[order[k]]),
                                                 reason=f"{names[order[k]]}: {why}", exit_code=EXIT_INTERNAL))
    return [o for o in outcomes if o is not None]


# Since the last review -----------------------------------------------------------------------------

def earlier_of(file: str | os.PathLike, folder: str | os.PathLike, as_of: dt.date | None = None,
               kit: Kit | None = None, jobs: int | None = None, skip: str | os.PathLike | None = None,
               account: str | None = None) -> tuple[Any, Any]:
    """`build FILE --since DIR`: the one plan's earlier version among the plans of `folder` (outside `skip`,
    the output folder), matched as a batch's are (`portfolio.match_in`): its `portfolio.Since` and the record
    of the earlier versions, or (None, None) when the plan itself cannot be read (its build says why).
    `account`: the plan's account name, when it has been read already (not read again)."""
    from .portfolio import PLANS_A_WORKER, match_in

    name = str(file)
    if account is not None:
        plan = _Checked(account=account)
    else:
        plan = check_task(name, as_of, False, kit=kit)
        if plan.refusal is not None:
            return None, None
    earlier, _ = find_plans([folder], skip=skip)
    jobs = jobs or min(default_jobs(), max(1, len(earlier) // PLANS_A_WORKER))
    with open_executor(jobs, kit, max(1, len(earlier)), render=False) as workers:
        (since,), run = match_in(workers, [replace(plan, file=name)], earlier, folder, as_of)
    return since, run


@record(frozen=False)
class Tally:
    """Counts of a batch for its closing line."""

    built: int = 0
    with_errors: int = 0
    unusable: int = 0
    not_written: int = 0
    failed: int = 0
    outcomes: list[PlanOutcome] = field(default_factory=list)

    @classmethod
    def of(cls, outcomes: Iterable[PlanOutcome]) -> Tally:
        tally = cls(outcomes=list(outcomes))
        for o in tally.outcomes:
            if o.exit_code == EXIT_UNUSABLE_FILE:
                tally.unusable += 1
            elif o.exit_code == EXIT_OUTPUT_REFUSED:
                tally.not_written += 1
            elif o.exit_code == EXIT_INTERNAL:
                tally.failed += 1
            else:
                tally.built += 1
                tally.with_errors += bool(o.errors)
        return tally

    def line(self, seconds: float | None = None) -> str:
        """`5 plans in 12.3 s: 3 built (1 with errors), 1 not usable, 1 not written`."""
        total = len(self.outcomes)
        took = f" in {_duration(seconds)}" if seconds is not None else ""
        parts = [f"{self.built} built" + (f" ({self.with_errors} with errors)" if self.with_errors else "")]
        for count, what in ((self.unusable, "not usable"), (self.not_written, "not written"),
                            (self.failed, "failed")):
            if count:
                parts.append(f"{count} {what}")
        return f"{total} plan{'s' if total != 1 else ''}{took}: " + ", ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(round(seconds)), 60)
    return f"{minutes} min {seconds:02d} s"
