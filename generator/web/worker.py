"""Every check and build of the web server runs in a worker process, with a time limit.

A `Pool` keeps `size` worker processes (fresh interpreters: nothing of the server's state is copied
into them), each fed one job at a time over a socket: the workbook's bytes in, the report and
the outputs' bytes out. A job past the time limit gets its worker killed and replaced (`TimedOut`);
a worker that dies mid-job (a crash, the kernel's out-of-memory killer) is replaced too
(`WorkerCrashed`); an exception inside a job is `JobFailed`. Requests beyond the workers wait in a
bounded queue; past it `run` raises `Busy` at once. The server answers 504, 500 and 503 for them and
goes on serving.

Outputs are rendered into a private folder of the worker (under /dev/shm when the system has it, so
in memory) and read back and deleted at once; the folder of a killed worker is removed by the pool.
This module does not import the web libraries: workers never load them.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..records import record

log = logging.getLogger("accountplan.web")

VALIDATE, BUILD, TEMPLATE = "validate", "build", "template"

# Findings that say the plan was made with another template: the page offers it moved into this one.
OTHER_TEMPLATE = ("template-old", "kit-other")

# The figures the page shows at the top, by key of the view's figure lines.
PAGE_FIGURES = ("position", "annual_target", "secured", "gap_to_target", "pipeline_coverage", "completeness")


@record
class Job:
    kind: str                       # VALIDATE, BUILD or TEMPLATE
    data: bytes = b""               # the workbook
    name: str = ""                  # its file name, as the report shows it
    as_of: dt.date | None = None
    strict: bool = False
    upgrade: bool = False           # a build for the page: a plan made with another template moved into this one


# In the worker ------------------------------------------------------------------------------------

def run(job: Job, kit, scratch: Path) -> dict:
    """The answer to one job, as plain data: `{"template": bytes}`; `{"refused": the refusal's report}`;
    or `{"report", "page", "stem"}` and for a build `"outputs"` (file name, bytes) in OUTPUTS' order, and
    for the page's build (`job.upgrade`) of a plan made with another template `"upgraded"`: it moved into
    this kit's (`upgraded`)."""
    from ..errors import UnusableFileError
    from ..pipeline import check, view_of
    from ..render import report

    if job.kind == TEMPLATE:
        return {"template": _template(kit, scratch)}
    try:
        result = check(job.data, job.as_of, job.strict, kit, job.name)
    except UnusableFileError as refused:
        return {"refused": report.refusal_json(job.name, refused.refusal)}
    view = view_of(result, kit)
    answer = {"report": report.to_json(result), "page": page_of(result, view), "stem": result.stem}
    if job.kind == BUILD:
        if job.upgrade and any(f.code in OTHER_TEMPLATE for f in result.findings):
            answer["upgraded"] = upgraded(result, kit, job.name)
        answer["outputs"] = _render_all(result, view, kit, scratch)
    return answer


def upgraded(result, kit, name: str) -> dict:
    """The plan moved into a fresh template of the kit, as `accountplan upgrade` moves it: the workbook's
    file name and bytes, and what moved and what did not (`Upgrade.to_json`), for a rep who never runs it."""
    from ..plan.upgrade import moved_into_template

    stem = Path(name).stem or "plan"
    filename = f"{stem}-current-template.xlsx"
    data, moved = moved_into_template(result.plan, kit, filename)
    return {"filename": filename, "data": data, "upgrade": moved.to_json()}


def page_of(result, view) -> dict:
    """What the page shows of a checked plan: the account, the headline figures and the findings
    grouped by section (sections with errors first, then in the plan's order; errors first in each)."""
    from ..render import report

    groups: dict[str, list] = {section.name: [] for section in view.sections}
    for finding in view.findings:
        groups.setdefault(finding.section, []).append(
            {"severity": finding.severity, "code": finding.code, "where": finding.where,
             "message": finding.message, "hint": finding.hint})
    sections = []
    for name, found in groups.items():
        if found:
            found.sort(key=lambda f: f["severity"] != "error")
            errors = sum(f["severity"] == "error" for f in found)
            sections.append({"name": name, "errors": errors, "warnings": len(found) - errors, "findings": found})
    sections.sort(key=lambda s: s["errors"] == 0)
    return {
        "account": view.account, "account_missing": view.account_missing, "file": result.plan.file,
        "as_of": view.figure("as_of").text,
        "figures": [{"key": key, "label": view.figures[key].label, "text": view.figures[key].text,
                     "tone": view.figures[key].tone} for key in PAGE_FIGURES if key in view.figures],
        "sections": sections, "errors": view.errors, "warnings": view.warnings,
        "summary": report.summary_line(view),
    }


def _render_all(result, view, kit, scratch: Path) -> list[tuple[str, bytes]]:
    """Each output rendered to a file of its own, read back and removed at once."""
    from ..pipeline import OUTPUTS, render

    outputs = []
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        for name, (suffix, _) in OUTPUTS.items():
            path = Path(folder) / f"{result.stem}{suffix}"
            try:
                render(name, result, view, kit, path)
                outputs.append((path.name, path.read_bytes()))
            finally:
                path.unlink(missing_ok=True)
    return outputs


def _template(kit, scratch: Path) -> bytes:
    from ..plan.template import write_template

    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        path = Path(folder) / "account-plan.xlsx"
        write_template(path, kit)
        return path.read_bytes()


def _warm_up(kit_folder: str | None = None):
    """Import what every job needs before saying ready, so the first request is as quick as the rest; the kit
    of `kit_folder` (the server's --kit), else the built-in one."""
    import importlib

    from ..kit import default_kit, load_kit
    from ..pipeline import OUTPUTS

    for _, module in OUTPUTS.values():
        importlib.import_module(module)
    importlib.import_module("generator.render.report")
    importlib.import_module("generator.plan.reader")
    importlib.import_module("generator.assess.validate")
    return load_kit(kit_folder) if kit_folder else default_kit()


def _main(conn, job_fn: Callable, scratch: str, kit_folder: str | None = None) -> None:
    """A worker's life: warm up, say ready, then answer one job at a time until told to stop."""
    kit = _warm_up(kit_folder)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):                   # the server went away
            return
        if job is None:
            return
        try:
            answer = ("ok", job_fn(job, kit, Path(scratch)))
        except Exception as exc:                      # a bug: the server answers 500 and goes on
            answer = ("error", describe(exc))
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:                      # an answer that cannot be sent (not picklable)
            conn.send(("error", describe(exc)))


def child_main(argv: list[str]) -> None:
    """`python -m generator.web.worker FD MODULE:FUNCTION SCRATCH [KIT]`: a worker on the socket FD, in the kit of
    the folder KIT (else the built-in one)."""
    from multiprocessing.connection import Connection

    fd, target, scratch = int(argv[0]), argv[1], argv[2]
    kit_folder = argv[3] if len(argv) > 3 else None
    module, _, name = target.partition(":")
    job_fn = importlib.import_module(module)
    for part in name.split("."):
        job_fn = getattr(job_fn, part)
    _main(Connection(fd), job_fn, scratch, kit_folder)


def dotted(function: Callable) -> str:
    """`module:qualname` of a module-level function, as a worker imports it."""
    module, name = getattr(function, "__module__", None), getattr(function, "__qualname__", "")
    if not module or module == "__main__" or "<" in name:
        raise ValueError(f"a worker's job must be a module-level function of an importable module, not {function!r}")
    return f"{module}:{name}"


def describe(exc: BaseException) -> str:
    """An exception as its kind and where it was raised: never its message, which may quote the plan."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where}"


# In the server ------------------------------------------------------------------------------------

class Busy(Exception):
    """Every worker is busy and the queue is full."""


class TimedOut(Exception):
    """The job took longer than the time limit; its worker was killed."""


class WorkerCrashed(Exception):
    """The worker died during the job."""


class JobFailed(Exception):
    """The job raised an exception in the worker (its kind and place are the message)."""


class _Worker:
    """One worker process (`python -m generator.web.worker`), its socket and its private scratch folder.

    A plain subprocess rather than multiprocessing's "spawn": the worker never re-imports the server's
    main module, and it runs in a session of its own, so Ctrl-C in the server's terminal is the server's.
    """

    def __init__(self, job: str, root: Path, kit_folder: str | None = None):
        from multiprocessing.connection import Connection

        self.scratch = Path(tempfile.mkdtemp(prefix="worker-", dir=root))
        ours, theirs = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "generator.web.worker", str(theirs.fileno()), job, str(self.scratch),
                 *([kit_folder] if kit_folder else [])],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        except BaseException:
            ours.close()
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.jobs = 0

    def wait_ready(self, timeout: float) -> None:
        try:
            if not self.conn.poll(timeout):
                raise TimedOut(f"a worker did not start within {timeout:g} s")
            self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed("a worker died while starting") from exc

    def call(self, job: Job, time_limit: float) -> tuple[str, object]:
        """Send a job and wait for its answer, at most `time_limit` seconds (blocking: run in a thread)."""
        self.jobs += 1
        try:
            self.conn.send(job)
            if not self.conn.poll(time_limit):
                raise TimedOut
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerCrashed from exc

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self._finish()

    def stop(self, grace: float = 3) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                self.process.kill()
        self._finish()

    def _finish(self) -> None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        with contextlib.suppress(OSError):
            self.conn.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


SCRATCH_PREFIX = "accountplan-web-"


def remove_abandoned(base: str) -> None:
    """Remove the scratch folders of servers that are gone (killed with -9: their workers' last files)."""
    for folder in Path(base).glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-")[0]
        try:
            if not pid.isdigit() or folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def scratch_base(configured: str | None) -> str:
    """Where workers render: the configured folder, else /dev/shm (memory) when usable, else the temp folder."""
    if configured:
        return configured
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return str(shm)
    return tempfile.gettempdir()


class Pool:
    """`size` worker processes, a queue of at most `queue` waiting requests, and a time limit per job."""

    def __init__(self, size: int, queue: int, time_limit: float, job_fn: Callable = run,
                 max_jobs_per_worker: int = 500, scratch: str | None = None, start_timeout: float = 60,
                 kit_folder: str | None = None):
        self.size, self.queue, self.time_limit = size, queue, time_limit
        self.kit_folder = kit_folder                  # every worker loads this kit (None: the built-in one)
        self.job_fn, self.max_jobs_per_worker, self.start_timeout = job_fn, max_jobs_per_worker, start_timeout
        self.scratch = scratch
        self._job = dotted(job_fn)
        self._threads: ThreadPoolExecutor | None = None
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self._waiting = 0
        self._root: Path | None = None
        self._closed = False

    @property
    def waiting(self) -> int:
        return self._waiting

    async def start(self) -> None:
        self._closed, self._idle = False, asyncio.Queue()
        self._threads = ThreadPoolExecutor(max_workers=self.size + 2, thread_name_prefix="accountplan-pool")
        base = scratch_base(self.scratch)
        remove_abandoned(base)
        self._root = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))
        workers = await asyncio.gather(*(self._in_thread(self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def run(self, job: Job):
        """The answer of `job_fn` for `job`, from the first free worker."""
        if self._closed or self._idle is None:
            raise RuntimeError("the pool is not running")
        if self._idle.empty() and self._waiting >= self.queue:
            raise Busy
        while True:
            self._waiting += 1
            try:
                worker = await self._idle.get()
            finally:
                self._waiting -= 1
            if worker.alive():
                break
            self._replace(worker)                     # died while idle: not this job's fault
        # Shielded: a client that goes away does not leave its worker lost between idle and busy.
        kind, payload = await asyncio.shield(self._call(worker, job))
        if kind == "error":
            raise JobFailed(payload)
        return payload

    async def _call(self, worker: _Worker, job: Job):
        try:
            answer = await self._in_thread(worker.call, job, self.time_limit)
        except BaseException:
            self._replace(worker)
            raise
        if worker.jobs >= self.max_jobs_per_worker:
            self._replace(worker, gently=True)
        else:
            self._idle.put_nowait(worker)
        return answer

    def _replace(self, worker: _Worker, gently: bool = False) -> None:
        """Kill (or stop) a worker and start another in its place, in the background."""
        task = asyncio.ensure_future(self._replacement(worker, gently))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replacement(self, worker: _Worker, gently: bool) -> None:
        await self._in_thread(worker.stop if gently else worker.kill)
        self._workers.discard(worker)
        delay = 0.5
        while not self._closed:
            try:
                fresh = await self._in_thread(self._spawn)
            except Exception as exc:
                log.error("a worker could not be started (%s); trying again in %.0f s", describe(exc), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            if self._closed:
                await self._in_thread(fresh.stop)
                return
            self._idle.put_nowait(fresh)
            return

    def _spawn(self) -> _Worker:
        worker = _Worker(self._job, self._root, self.kit_folder)
        self._workers.add(worker)
        try:
            worker.wait_ready(self.start_timeout)
        except BaseException:
            self._workers.discard(worker)
            worker.kill()
            raise
        return worker

    def _in_thread(self, function, *args):
        return asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    async def close(self) -> None:
        """Stop every worker and remove their folders."""
        self._closed = True
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        await asyncio.gather(*(self._in_thread(worker.stop) for worker in list(self._workers)),
                             return_exceptions=True)
        self._workers.clear()
        self._threads.shutdown(wait=False)
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)


if __name__ == "__main__":
    from generator.web.worker import child_main as _child_main   # the module proper, not this __main__ copy

    _child_main(sys.argv[1:])
