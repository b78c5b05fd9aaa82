"""Helpers shared by the renderers at the level of the file format (a zip of XML parts)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path


def write_stamped(blob: bytes, path: Path, when: dt.datetime) -> None:
    """Write the package with every zip entry dated `when`: the same plan gives the same bytes."""
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, stamp), source.read(info.filename),
                            compress_type=zipfile.ZIP_DEFLATED)
