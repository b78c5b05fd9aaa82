"""Many plans on a Dask cluster: `build PATH... -o OUT --scheduler ADDRESS` and `portfolio --scheduler ADDRESS`.

`DaskExecutor` is the other `batch.Executor` (the first is the local process pool, `batch.Workers`): the same
tasks (`check_task`, `build_task`, `portfolio.entry_task`, `portfolio.since_task`), run on the workers of an
existing Dask cluster (or of a `LocalCluster` started here with `--scheduler local`, for trying it). The workers
need no shared disk: this process reads each plan's bytes and ships them with its task (with `--since`,
its earlier version's too), the worker reads the plan from them (shown under the file's own name, so every
message and every output is what the local pool gives), and sends back plain data: the check, the portfolio
entry, the diff, or each output's file name and bytes. This process then writes
the outputs into `OUT/<account>/` with `pipeline.build`'s own checks (never over the rep's input, a file
accountplan did not write, or another account's outputs) and its atomic rename: all three or none.

Every worker needs accountplan installed, the same version as here (`pip install "accountplan[dask]"`): the
outputs come from its code and its templates. dask and distributed are imported in this module only.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .batch import CRASHED, EXIT_INTERNAL, PlanOutcome, _internal, build_task, built_task, check_task
from .errors import AccountPlanError
from .records import record

LOCAL = "local"                 # `--scheduler local`: a LocalCluster of this machine's processors
CONNECT_SECONDS = 20            # to reach the scheduler
WORKERS_SECONDS = 60            # for a first worker to join it
INLINE_BYTES = 1_000_000        # a plan up to this size travels inside its task; a larger one is scattered first
EXTRA = 'pip install "accountplan[dask]"'
PLACERS = 4                     # threads writing outputs here: each waits on the disk (fsync), not the interpreter
LOST = "the Dask scheduler was lost before this plan was done (it cannot be reached any more)"


class ClusterError(AccountPlanError):
    """The Dask cluster cannot be used: dask is not installed, the scheduler cannot be reached, no worker joins
    it, or its workers cannot run this accountplan (exit 2, as a usage error)."""

    code = "cluster"


# On a worker ------------------------------------------------------------------------------------

@record
class Rendered:
    """A plan built on a worker: its outcome there, its outputs' (file name, bytes) in `pipeline.OUTPUTS` order
    (none when nothing was built), and the sheets of its workbook (what `pipeline.build`'s checks read)."""

    outcome: PlanOutcome
    files: tuple[tuple[str, bytes], ...] = ()
    sheets: tuple[str, ...] | None = None


def render_task(path: str, as_of: dt.date | None, strict: bool, since: str | None = None,
                since_data: bytes | None = None, data: bytes | None = None, kit=None) -> Rendered:
    """Build one plan from its bytes (on a worker) into a private folder, as `build_task` builds it; read the
    outputs back and remove them. With `since` (`build PATH... --since DIR`), what changed since that earlier
    version: read from `since_data`, its bytes (without them, from `since` where it is)."""
    try:
        with tempfile.TemporaryDirectory(prefix="accountplan-", dir=_scratch()) as folder:
            outcome, result = built_task(path, folder, as_of, strict, data, kit, since, since_data)
            files = tuple((Path(p).name, Path(p).read_bytes()) for p in outcome.outputs)
    except Exception as exc:       # the worker's own disk (scratch full): reported as a failure of this plan
        refusal, reason = _internal(path, exc)
        return Rendered(PlanOutcome(path, refusal=refusal, reason=reason, exit_code=EXIT_INTERNAL))
    return Rendered(outcome, files, result.sheets_read if result is not None else None)


def _scratch() -> str | None:
    """Memory rather than disk for the few moments the outputs exist on the worker, where the system has it."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def on_worker(task: Callable, file: str, *args, data: bytes | None = None, kit: ShippedKit | None = None):
    """`task(file, *args, data=data, kit=...)` on a worker, in the kit shipped to it (None: its own default)."""
    return task(file, *args, data=data, kit=unpack_kit(kit))


def worker_version() -> str:
    """The accountplan a worker runs (a worker without it cannot even unpickle this function)."""
    from . import __version__ as version

    return version


# The kit ------------------------------------------------------------------------------------------

@record
class ShippedKit:
    """A kit on its way to the workers, which have none of this machine's files: the kit, and the bytes of
    each file it names (its logo, its PowerPoint and Word templates), which a worker writes into a folder of
    its own under the same file name; a kit on the built-in templates uses the worker's own (the same
    version's). Any other folder a kit names must be at the same path on the workers."""

    kit: Any
    files: tuple[tuple[str, str, bytes], ...]       # (the kit's field, the file's name, its bytes)
    builtin_templates: bool
    token: str


def ship_kit(kit) -> ShippedKit | None:
    import dataclasses
    import uuid

    from . import templates_dir

    if kit is None:
        return None
    files = []
    for item in dataclasses.fields(kit):
        value = getattr(kit, item.name)
        if isinstance(value, Path) and value.is_file():
            files.append((item.name, value.name, value.read_bytes()))
    builtin = _resolved(kit.templates) == _resolved(templates_dir())
    return ShippedKit(kit, tuple(files), builtin, uuid.uuid4().hex)


_KITS: dict[str, Any] = {}          # on a worker: the last kits shipped to it, by token, with their files' folder
KEPT_KITS = 8


def unpack_kit(shipped: ShippedKit | None):
    """The kit of `shipped` on this worker, its files in a folder of this worker (once per kit)."""
    if shipped is None:
        return None
    if shipped.token not in _KITS:
        from . import templates_dir

        while len(_KITS) >= KEPT_KITS:                   # a worker of a long-lived cluster serves many runs
            _KITS.pop(next(iter(_KITS)))[1].cleanup()
        changes: dict[str, Any] = {"templates": templates_dir()} if shipped.builtin_templates else {}
        folder = tempfile.TemporaryDirectory(prefix="accountplan-kit-", dir=_scratch())   # removed at exit
        for name, file_name, content in shipped.files:
            path = Path(folder.name) / name / file_name
            path.parent.mkdir()
            path.write_bytes(content)
            changes[name] = path
        _KITS[shipped.token] = (replace(shipped.kit, **changes), folder)
    return _KITS[shipped.token][0]


def _resolved(path) -> Path:
    try:
        return Path(path).resolve()
    except OSError:
        return Path(path).absolute()


# Back here: the outputs written ---------------------------------------------------------------------

def place(rendered: Rendered, file: str, folder: Path) -> PlanOutcome:
    """Write a plan's outputs, rendered on a worker, into `folder` as `build_task` writes them there: the same
    outcome (its folder and files), or the one-line reason none was written."""
    outcome = rendered.outcome
    if outcome.failed:
        return outcome
    start = time.monotonic()
    try:
        targets = write_outputs(file, folder, outcome.account, rendered.files, rendered.sheets)
    except AccountPlanError as exc:
        return PlanOutcome(file, refusal=exc.refusal, reason=exc.one_line(), exit_code=exc.exit_code,
                           seconds=outcome.seconds + time.monotonic() - start)
    except Exception as exc:
        refusal, reason = _internal(file, exc)
        return PlanOutcome(file, refusal=refusal, reason=reason, exit_code=EXIT_INTERNAL,
                           seconds=outcome.seconds + time.monotonic() - start)
    return replace(outcome, folder=str(folder), outputs=tuple(map(str, targets)),
                   seconds=outcome.seconds + time.monotonic() - start)


def write_outputs(file: str, folder: Path, account: str, files: Sequence[tuple[str, bytes]],
                  sheets: Sequence[str] | None) -> list[Path]:
    """`pipeline.build`'s writing (`pipeline.write_outputs`), for outputs already rendered on a worker: all or
    none, through the very checks of a local build."""
    from .pipeline import write_outputs as write_all

    targets = [folder / name for name, _ in files]
    write_all(targets, lambda i, tmp: tmp.write_bytes(files[i][1]), account, tuple(sheets or ()), Path(file))
    return targets


# The executor ---------------------------------------------------------------------------------------

class DaskExecutor:
    """A `batch.Executor` on a Dask cluster. `scheduler`: the scheduler's address (`tcp://host:8786`), "local"
    to start a `LocalCluster` of `jobs` worker processes on this machine (closed with the executor), or a
    `distributed.Client` already connected (left open). A `kit` goes to every worker once, its files with it
    (`ship_kit`); without one, each worker uses its own installed default kit."""

    def __init__(self, scheduler: Any, jobs: int | None = None, kit=None, tasks: int | None = None):
        try:
            import distributed
        except ImportError as missing:
            raise ClusterError(f"--scheduler needs the dask extra ({missing.name} is missing)", hint=EXTRA) from None
        self.kit = kit
        self._cluster = None
        self._gone = False              # the scheduler was lost during a run
        self._own = not isinstance(scheduler, distributed.Client)
        if not self._own:
            self.client = scheduler
        else:
            address = str(scheduler)
            if scheduler == LOCAL:
                from .batch import default_jobs

                workers = max(1, min(jobs or default_jobs(), tasks or default_jobs()))
                self._cluster = distributed.LocalCluster(**local_cluster(workers), silence_logs=logging.ERROR)
                address = self._cluster.scheduler_address
            try:
                self.client = distributed.Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                self.close()
                raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc})",
                                   hint="start one with `dask scheduler`, or check the address") from None
        try:
            self._check_workers(self.client.scheduler.address)
            # A kit of our own goes to every worker once; without one each worker takes its own default kit.
            shipped = ship_kit(kit)
            self._kit = self.client.scatter(shipped, broadcast=True, hash=False) if shipped is not None else None
        except BaseException:
            self.close()
            raise

    def _check_workers(self, address: str) -> None:
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except TimeoutError:
            raise ClusterError(f"no Dask worker joined the scheduler at {address} in {WORKERS_SECONDS} s",
                               hint=f"start workers with `dask worker {address}`") from None
        for worker, version in self.client.run(worker_version, on_error="return").items():
            if isinstance(version, BaseException):
                raise ClusterError(f"the Dask worker {worker} cannot run accountplan "
                                   f"({type(version).__name__}: {version})",
                                   hint=f"install accountplan on every worker: {EXTRA}")
            if version != __version__:
                raise ClusterError(f"the Dask worker {worker} runs accountplan {version}, this is {__version__}",
                                   hint="install the same version on every worker (its outputs come from it)")

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self, cancel: bool = False) -> None:
        if self._own and getattr(self, "client", None) is not None:
            # A client that lost its scheduler logs the end of its reconnecting as an error: said already.
            quiet = _quiet("distributed.client") if self._gone else contextlib.nullcontext()
            with quiet, contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None

    # The plan tasks (`batch.Executor`) ----------------------------------------------------------------

    def check(self, files, as_of, strict, on_done, on_crash) -> None:
        as_of = as_of or dt.date.today()         # one "today" for every worker, whatever its clock and zone
        self._each(files, check_task, (as_of, strict), on_done, on_crash,
                   here=lambda i: check_task(files[i], as_of, strict, kit=self.kit))

    def build(self, plans, as_of, strict, on_done, on_crash) -> None:
        """Each plan's bytes go with its task, and with `--since DIR` its earlier version's too (as `since`)."""
        as_of = as_of or dt.date.today()
        files = [file for file, _, _ in plans]

        def args(i: int) -> tuple:
            earlier = plans[i][2]
            return (as_of, strict, earlier, self._beside(_read(earlier))) if earlier else (as_of, strict)

        self._each(files, render_task, args, on_done, on_crash,
                   here=lambda i: build_task(files[i], plans[i][1], as_of, strict, kit=self.kit, since=plans[i][2]),
                   receive=lambda i, rendered: place(rendered, files[i], Path(plans[i][1])))

    def read(self, files, as_of, strict, on_done, on_crash) -> None:
        from .portfolio import entry_task

        as_of = as_of or dt.date.today()
        self._each(files, entry_task, (as_of, strict), on_done, on_crash,
                   here=lambda i: entry_task(files[i], as_of, strict, kit=self.kit))

    def since(self, pairs, as_of, strict, on_done, on_crash) -> None:
        """Each plan and its earlier version: both files' bytes go with the task (the earlier's beside it when
        large, as a plan's is)."""
        from .portfolio import since_task

        as_of = as_of or dt.date.today()
        files = [file for file, _ in pairs]

        def args(i: int) -> tuple:
            earlier = pairs[i][1]
            return (earlier, as_of, strict, self._beside(_read(earlier)))

        self._each(files, since_task, args, on_done, on_crash,
                   here=lambda i: since_task(files[i], pairs[i][1], as_of, strict, kit=self.kit))

    def _beside(self, data: bytes | None) -> Any:
        """A file's bytes to go with a task: as they are, or scattered to the cluster first when large (a large
        graph is sent better beside the task than in it)."""
        if data is not None and len(data) > INLINE_BYTES:
            return self.client.scatter(data, hash=False)
        return data

    def _each(self, files: Sequence[str], task: Callable, args: tuple | Callable[[int], tuple], on_done, on_crash,
              here: Callable[[int], Any], receive: Callable[[int, Any], Any] | None = None) -> None:
        """`task(files[i], *args, data=<the file's bytes>, kit=...)` on a worker for every i (`args`: the same
        for every task, or a function of i giving each task's own); `on_done(i, value)`
        here (in this thread) as each completes; `receive(i, answer)` makes the value of a worker's answer, in
        a few threads (writing outputs waits on the disk, not on the interpreter). A file this process cannot
        read as a regular file goes to `here(i)`, the same task run here: it is refused the same way, at
        once. A task Dask gave up on because its workers died (`KilledWorker`: the one that killed them, or
        one that waited behind it) is tried again alone at the end, as the local pool does; one that still
        kills its worker alone gets `on_crash`'s answer."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(PLACERS, thread_name_prefix="accountplan-place") as placers:
            suspects = self._round(files, task, args, list(range(len(files))), None, on_done, on_crash, here,
                                   receive, placers)
            for i in suspects:
                if self._round(files, task, args, [i], 1, on_done, on_crash, here, receive, placers):
                    on_done(i, on_crash(i, CRASHED))

    def _round(self, files, task, args, queue: list[int], at_once: int | None, on_done, on_crash, here,
               receive, placers) -> list[int]:
        """The tasks of `queue`, `at_once` at a time (None: twice the cluster's threads, as it grows or
        shrinks), their answers being received counted in, so that this process holds only a few plans'
        bytes; returns the ones Dask gave up on because their workers died."""
        import uuid
        from concurrent.futures import FIRST_COMPLETED, CancelledError, wait

        from distributed import KilledWorker, as_completed

        waiting = iter(queue)
        running: dict[Any, int] = {}                 # on the cluster
        receiving: dict[Any, int] = {}               # its answer being received here (outputs written)
        suspects: list[int] = []
        completed = as_completed(loop=self.client.loop)
        window, sized, gone = at_once or 1, 0.0, False

        def give_up(i: int | None = None) -> None:
            """The scheduler is gone (the client could not keep or get back its connection): this plan and
            every plan under way is reported, and no other is handed out."""
            nonlocal gone
            gone = self._gone = True
            for future, k in [*running.items(), *([(None, i)] if i is not None else [])]:
                if future is not None:
                    with contextlib.suppress(Exception):
                        future.cancel()
                on_done(k, on_crash(k, LOST))
            running.clear()

        def hand_out() -> None:
            nonlocal window, sized
            while True:
                try:
                    if gone or self.client.status in ("closing", "closed"):
                        raise ConnectionError("the scheduler is gone")
                    if at_once is None and time.monotonic() - sized > 1:
                        window, sized = max(4, 2 * sum(self.client.nthreads().values())), time.monotonic()
                    if len(running) + len(receiving) >= window:
                        return
                    i = next(waiting, None)
                    if i is None:
                        return
                except Exception:
                    for i in waiting:
                        on_done(i, on_crash(i, LOST))
                    return give_up()
                data = _read(files[i])
                if data is None:
                    on_done(i, here(i))
                    continue
                try:
                    data = self._beside(data)
                    own = args(i) if callable(args) else args
                    future = self.client.submit(on_worker, task, files[i], *own, data=data, kit=self._kit,
                                                pure=False, key=f"accountplan-{task.__name__}-{uuid.uuid4().hex}")
                except Exception:
                    give_up(i)
                    continue
                running[future] = i
                completed.add(future)

        def received(block: bool) -> None:
            done, _ = wait(receiving, timeout=None if block else 0, return_when=FIRST_COMPLETED)
            for placed in done:
                i = receiving.pop(placed)
                try:
                    value = placed.result()
                except Exception as exc:
                    value = on_crash(i, f"internal error: {type(exc).__name__}: {exc}")
                on_done(i, value)

        try:
            hand_out()
            while running or receiving:
                if not running:
                    received(block=True)
                else:
                    future = next(completed)
                    if future not in running:        # reported already: the scheduler is gone
                        continue
                    i = running.pop(future)
                    try:
                        answer = future.result()
                    except KilledWorker:
                        suspects.append(i)
                    except CancelledError:           # not by us: the client lost the scheduler
                        give_up(i)
                    except Exception as exc:         # its arguments or its answer could not be sent
                        on_done(i, on_crash(i, f"internal error: {type(exc).__name__}: {exc}"))
                    else:
                        if receive is None:
                            on_done(i, answer)
                        else:
                            receiving[placers.submit(receive, i, answer)] = i
                    future.release()
                    received(block=False)
                hand_out()
        finally:
            for future in running:                   # interrupted: hand out nothing more
                future.cancel()
            if receiving:                            # outputs being written are written (each all or none)
                wait(receiving)
        return suspects


def local_cluster(workers: int) -> dict:
    """A `LocalCluster`'s settings for `--scheduler local`: `workers` processes of one thread (a build holds the
    interpreter), on this machine only, no dashboard, and the scheduler's own web server on any free port."""
    return dict(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})


@contextlib.contextmanager
def _quiet(name: str):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read(file: str) -> bytes | None:
    """The file's bytes, or None when it is not a regular file this process can read."""
    path = Path(file)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None
