"""PDFs of the deck and the document, through LibreOffice in headless mode.

`to_pdf(paths, out_dir, timeout)` converts each file into `<its stem>.pdf` in `out_dir`: LibreOffice runs with
a profile of its own in a temporary folder (so it neither waits for nor disturbs a LibreOffice the user has
open), in a process group of its own that is killed whole when it overruns `timeout`, and writes into a
temporary folder beside the targets; each PDF is renamed into place only once all are converted. Without
LibreOffice, `LibreOfficeMissing` says how to install it.

`to_pdfs(files, work_root)` does the same for the outputs of many plans, each PDF beside its own file: a
LibreOffice start costs seconds, so the files go through few runs (up to `FILES_PER_RUN` each, never two of
one name in a run), and each plan's PDFs are all there or none (`on_failed` hears of a run that failed).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import OutputError

TIMEOUT = 120.0            # one plan's deck and document
FILES_PER_RUN = 24         # files converted by one LibreOffice run of a batch (each given TIMEOUT / 2)
INSTALL = ("install LibreOffice to get PDFs: apt-get install libreoffice-impress-nogui libreoffice-writer-nogui "
           "(Debian, Ubuntu), or download it from https://www.libreoffice.org/download/")


class LibreOfficeMissing(Exception):
    """No LibreOffice on this machine: the PDFs cannot be made (the other outputs can)."""

    def __init__(self, message: str = f"no PDFs: LibreOffice was not found; {INSTALL}"):
        super().__init__(message)


def find_libreoffice() -> str | None:
    """The LibreOffice program (`soffice`, or `libreoffice`) on the PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_name(path: Path) -> str:
    """The PDF's name for an output: `acme-review.pptx` -> `acme-review.pdf`."""
    return f"{Path(path).stem}.pdf"


def to_pdf(paths: list[Path], out_dir: Path, timeout: float = TIMEOUT) -> list[Path]:
    """Convert `paths` (a .pptx, a .docx) to PDFs in `out_dir`, all or none; returns the PDFs' paths.

    Raises `LibreOfficeMissing` without LibreOffice, `OutputError` when it fails or overruns `timeout`
    seconds (its whole process group is killed: nothing is left running)."""
    out_dir = Path(out_dir)
    paths = [Path(p) for p in paths]
    return _convert(_program(), paths, [out_dir / pdf_name(p) for p in paths], out_dir, timeout)


def to_pdfs(files: list[list[Path]], work_root: Path, on_failed=None) -> list[list[Path]]:
    """PDFs of many plans' outputs: `files[i]` are plan i's deck and document, each PDF written beside its
    file; returns each plan's PDFs ([] for a plan whose run failed: `on_failed(sources, error)` is told).

    `work_root` holds the temporary folders (on the same disk as every target, so a rename puts a PDF in
    place). Raises `LibreOfficeMissing` without LibreOffice."""
    program = _program()
    made: list[list[Path]] = [[] for _ in files]
    runs = _runs(files)
    while runs:
        run = runs.pop(0)
        paths = [path for i in run for path in files[i]]
        targets = [path.parent / pdf_name(path) for path in paths]
        try:
            pdfs = _convert(program, paths, targets, Path(work_root), TIMEOUT / 2 * len(paths))
        except OutputError as error:
            if len(run) > 1:                # one plan's file spoilt the run: the others go again, one by one
                runs[:0] = [[i] for i in run]
            elif on_failed is None:
                raise
            else:
                on_failed(paths, error)
            continue
        for i in run:
            made[i], pdfs = pdfs[:len(files[i])], pdfs[len(files[i]):]
    return made


def _runs(files: list[list[Path]]) -> list[list[int]]:
    """Plans grouped into LibreOffice runs: at most `FILES_PER_RUN` files a run, no PDF name twice in one."""
    runs: list[list[int]] = []
    names: set[str] = set()
    count = 0
    for i, paths in enumerate(files):
        mine = {pdf_name(p) for p in paths}
        if not runs or count + len(paths) > FILES_PER_RUN or names & mine:
            runs.append([])
            names, count = set(), 0
        runs[-1].append(i)
        names |= mine
        count += len(paths)
    return runs


def _program() -> str:
    program = find_libreoffice()
    if program is None:
        raise LibreOfficeMissing()
    return program


def _convert(program: str, paths: list[Path], targets: list[Path], work_dir: Path, timeout: float) -> list[Path]:
    """One LibreOffice run converting `paths` into a temporary folder in `work_dir`, then each PDF renamed to
    its target once all are converted."""
    with tempfile.TemporaryDirectory(prefix="accountplan-lo-profile-") as profile, \
            tempfile.TemporaryDirectory(prefix=".accountplan-pdf-", dir=work_dir) as work:
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
                   "--convert-to", "pdf", "--outdir", work, *map(str, paths)]
        _run(command, timeout)
        converted = [Path(work) / pdf_name(p) for p in paths]
        for source, pdf in zip(paths, converted):
            if not pdf.is_file() or pdf.stat().st_size == 0:
                raise OutputError("LibreOffice did not convert it to PDF", file=str(source))
        mode = 0o666 & ~_umask()
        for pdf in converted:
            os.chmod(pdf, mode)
            with open(pdf, "rb+") as handle:
                os.fsync(handle.fileno())
        for pdf, target in zip(converted, targets):
            try:
                os.replace(pdf, target)
            except OSError as exc:
                raise OutputError(f"cannot be replaced ({exc.strerror})", file=str(target)) from exc
    return targets


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice in a session of its own; on a timeout (or an interruption) kill its process group."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise OutputError(f"LibreOffice did not finish the PDFs in {timeout:g} s and was stopped; no PDFs written",
                          file=command[-1]) from None
    except BaseException:
        _kill(process)
        raise
    finally:
        _kill_group(process.pid)        # whatever it left behind in its group (it should leave nothing)
    if process.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()
        raise OutputError(f"LibreOffice failed to make the PDFs (exit {process.returncode})"
                          + (f": {said[-1]}" if said else ""), file=command[-1])


def _kill(process: subprocess.Popen) -> None:
    _kill_group(process.pid)
    with contextlib.suppress(Exception):
        process.communicate(timeout=10)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(pid, signal.SIGKILL)


def _umask() -> int:
    from ..pipeline import current_umask
    return current_umask()
