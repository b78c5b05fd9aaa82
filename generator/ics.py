"""A plan's open actions as calendar items: an iCalendar file (RFC 5545), written here, byte for byte the same
for the same plan and as-of date.

One all-day VEVENT per open action with a due date, on that date: its UID made from the account and the
action's text (so a calendar that imports the file again updates the event rather than adding one), DTSTAMP
the as-of date, SUMMARY the action, DESCRIPTION its owner, status, purpose, what it is linked to and the plan
file. Open actions without a due date cannot be placed: they are returned, for the caller to list.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import PRODUCER, fmt
from .errors import OutputError
from .records import record
from .plan.schema import DEFAULT_DEFINITION, Definition

if TYPE_CHECKING:
    from .pipeline import Result

PRODID = f"-//{PRODUCER}//Account plan actions//EN"
UID_DOMAIN = PRODUCER
LINE_OCTETS = 75             # RFC 5545 3.1: content lines are folded past 75 octets
CRLF = "\r\n"
ACTIONS = "Actions"

# The words the calendar writes.
ICS_WORDS = {
    "calendar": "{account}: actions",
    "no_account": "Account plan",
    "no_action": "(an action with no text)",
    "owner": "Owner: {owner}",
    "status": "Status: {status}",
    "overdue": "Status: {status}, overdue on {as_of}",
    "purpose": "Purpose: {purpose}",
    "linked": "Linked to: {linked}",
    "plan": "Plan: {file} ({account})",
}


@record
class Event:
    """One open action on its due date."""

    uid: str
    due: dt.date
    summary: str
    description: str
    owner: str
    index: int               # in the plan's Actions list


@record
class NotPlaced:
    """An open action with no due date: it has no day to go on."""

    action: str
    owner: str
    status: str
    index: int


@record
class ActionCalendar:
    account: str
    as_of: dt.date
    events: tuple[Event, ...]
    not_placed: tuple[NotPlaced, ...]

    def to_ics(self) -> str:
        """The iCalendar text: CRLF line ends, folded lines, escaped text."""
        lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                 "X-WR-CALNAME:" + escape(ICS_WORDS["calendar"].format(account=self.account))]
        stamp = f"{self.as_of:%Y%m%d}T000000Z"
        for event in self.events:
            lines += ["BEGIN:VEVENT",
                      f"UID:{event.uid}",
                      f"DTSTAMP:{stamp}",
                      f"DTSTART;VALUE=DATE:{event.due:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{event.due + dt.timedelta(days=1):%Y%m%d}",
                      "SUMMARY:" + escape(event.summary),
                      "DESCRIPTION:" + escape(event.description),
                      "TRANSP:TRANSPARENT",
                      "END:VEVENT"]
        lines.append("END:VCALENDAR")
        return "".join(fold(line) + CRLF for line in lines)


def calendar_of(result: Result, definition: Definition = DEFAULT_DEFINITION) -> ActionCalendar:
    """The open actions of an assessed plan, earliest due first: those with a due date as events, the others
    as not placed."""
    d, plan, f = definition, result.plan, result.figures
    account = _one_line(plan.account_name) or ICS_WORDS["no_account"]
    rows = plan.lists.get(ACTIONS, []) if ACTIONS in d.lists else []
    seen: dict[str, int] = {}
    events, not_placed = [], []
    for i in f.open_actions:
        row = rows[i]
        text = _one_line(fmt.text(row.action)) if row.action else ICS_WORDS["no_action"]
        status = row.status or d.default_status
        owner = _one_line(row.owner or "")
        if row.due_date is None:
            not_placed.append(NotPlaced(text, owner, status, i))
            continue
        due = row.due_date.date() if isinstance(row.due_date, dt.datetime) else row.due_date
        events.append(Event(_uid(plan.account_name, text, seen), due, text,
                            _description(row, status, i in f.overdue_actions, result), owner, i))
    return ActionCalendar(account, f.as_of, tuple(events), tuple(not_placed))


def write_calendar(result: Result, path: str | Path, definition: Definition = DEFAULT_DEFINITION) -> ActionCalendar:
    """Write the open actions to `path` atomically; never over a file that is not a calendar accountplan wrote
    (an `OutputError`, exit 3)."""
    from .pipeline import atomic_output

    target = Path(path)
    _check_replaceable(target)
    calendar = calendar_of(result, definition)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})", file=str(target.parent)) from exc
    with atomic_output(target) as tmp:
        tmp.write_bytes(calendar.to_ics().encode("utf-8"))
    return calendar


def _check_replaceable(target: Path) -> None:
    if target.is_dir():
        raise OutputError("is a folder; give the calendar file's name (.ics)", file=str(target))
    if not (target.exists() or target.is_symlink()):
        return
    try:
        with open(target, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise OutputError(f"cannot be read to check it is a calendar we wrote ({exc.strerror})",
                          file=str(target)) from exc
    if not (head.lstrip(b"\xef\xbb\xbf").startswith(b"BEGIN:VCALENDAR") and f"PRODID:{PRODID}".encode() in head):
        raise OutputError("exists and is not a calendar accountplan wrote; move it or choose another name",
                          file=str(target))


def _uid(account: str, action: str, seen: dict[str, int]) -> str:
    """Stable from the account and the action's text (case and spacing aside); a repeat of the same action
    text gets its own."""
    key = f"{' '.join((account or '').split()).casefold()}\n{' '.join(action.split()).casefold()}"
    seen[key] = seen.get(key, 0) + 1
    if seen[key] > 1:
        key += f"\n{seen[key]}"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _description(row: Any, status: str, overdue: bool, result: Result) -> str:
    w, plan = ICS_WORDS, result.plan
    lines = [w["owner"].format(owner=fmt.text(row.owner)),
             w["overdue"].format(status=status, as_of=fmt.date(result.figures.as_of)) if overdue
             else w["status"].format(status=status)]
    if row.purpose:
        lines.append(w["purpose"].format(purpose=fmt.text(row.purpose)))
    if row.linked_to:
        lines.append(w["linked"].format(linked=fmt.text(row.linked_to)))
    lines.append(w["plan"].format(file=Path(plan.file).name or fmt.NONE,
                                  account=_one_line(plan.account_name) or fmt.NONE))
    return "\n".join(_one_line(line) for line in lines)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def escape(text: str) -> str:
    """TEXT as RFC 5545 3.3.11 writes it: backslash, semicolon and comma escaped, a line break as `\\n`, other
    control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32 and ord(ch) != 127)
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def fold(line: str) -> str:
    """A content line folded so no line is longer than 75 octets (a continuation starts with a space), never
    inside a character's UTF-8 bytes nor inside an escape such as `\\n`."""
    parts, current = [], b""
    for token in re.findall(r"\\.|.", line, flags=re.DOTALL):
        octets = token.encode("utf-8")
        if len(current) + len(octets) > LINE_OCTETS:
            parts.append(current)
            current = b" "
        current += octets
    parts.append(current)
    return CRLF.join(part.decode("utf-8") for part in parts)
