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


APP_PART = "docProps/app.xml"


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook as .xlsx bytes, keeping the properties we set (`save()` stamps the clock).

    openpyxl writes its own name into the extended properties (`Application`, no setting for it): they
    name accountplan instead. The parts are stored uncompressed: `write_stamped` compresses them.
    """
    from openpyxl.writer.excel import ExcelWriter

    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(workbook, archive).save()
    buffer = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = _app_properties() if info.filename == APP_PART else source.read(info.filename)
            target.writestr(info, data)
    return buffer.getvalue()


def _app_properties() -> bytes:
    """The extended properties of a workbook accountplan wrote: the application, nothing of openpyxl."""
    from openpyxl.packaging.extended import ExtendedProperties
    from openpyxl.xml.functions import tostring

    from . import PRODUCER

    props = ExtendedProperties()
    props.Application, props.AppVersion = PRODUCER, None   # AppVersion is Office's own "XX.YYYY" build
    return tostring(props.to_tree())
