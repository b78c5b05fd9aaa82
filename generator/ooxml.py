"""Helpers shared by the renderers at the level of the file format (a zip of XML parts)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from collections.abc import Callable


def write_stamped(blob: bytes, path: Path, when: dt.date,
                  transform: Callable[[str, bytes], bytes] | None = None) -> None:
    """Write the package with every zip entry dated `when`: the same plan gives the same bytes.

    `transform(part_name, data)` may rewrite a part on the way (the checked workbook fills in
    formula values there).
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if transform is not None:
                data = transform(info.filename, data)
            target.writestr(zipfile.ZipInfo(info.filename, stamp), data, compress_type=zipfile.ZIP_DEFLATED)


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook as .xlsx bytes, keeping the properties we set (`save()` stamps the clock)."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return buffer.getvalue()
