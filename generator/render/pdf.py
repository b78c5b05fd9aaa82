"""PDFs of the deck and the document, through LibreOffice in headless mode.

`to_pdf(paths, out_dir, timeout)` converts each file into `<its stem>.pdf` in `out_dir`: LibreOffice runs with
a profile of its own in a temporary folder (so it neither waits for nor disturbs a LibreOffice the user has
open), in a process group of its own that is killed whole when it overruns `timeout`, and writes into a
temporary folder beside the targets; each PDF is renamed into place only once all are converted. Without
LibreOffice, `LibreOfficeMissing` says how to install it.
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

TIMEOUT = 120.0
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
    program = find_libreoffice()
    if program is None:
        raise LibreOfficeMissing()
    out_dir = Path(out_dir)
    paths = [Path(p) for p in paths]
    targets = [out_dir / pdf_name(p) for p in paths]
    with tempfile.TemporaryDirectory(prefix="accountplan-lo-profile-") as profile, \
            tempfile.TemporaryDirectory(prefix=".accountplan-pdf-", dir=out_dir) as work:
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
