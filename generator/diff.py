"""What changed between two versions of one account's plan, by meaning rather than by cell.

`diff_plans(old, new, definition)` compares two assessed plans (`pipeline.Result`s) and gives a `PlanDiff`:
the figures that moved, the single fields that changed, for every list the rows added, removed and changed
(matched by the list's name column, its first: ignoring case and spacing, then small renames by similarity),
the action review (done, new, slipped, newly overdue), risks added and closed, and the sections that became
complete or went missing. Every change carries its values before and after, typed and as text, so a deck
slide, a document section or a Changes sheet lays it out without re-reading either plan or re-wording it.

`to_json` and `to_text` (the memo `accountplan diff` prints) are two layouts of the same `PlanDiff`.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import deque
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any

from . import fmt
from .errors import DifferentAccountsError
from .plan import schema
from .plan.schema import DEFAULT_DEFINITION, Definition
from .wording import DIFF, FIGURE_LABELS, Wording
from .records import record

if TYPE_CHECKING:
    from .kit import Kit
    from .pipeline import Result

# A row renamed a little (`Tracking portal` -> `Tracking portals`) is the same row when the similarity of the
# two names (difflib's ratio, after case and spacing are set aside) is at least this; below it, a row removed
# and another added.
RENAME_RATIO = 0.85
# Renames are looked for among at most this many pairs of rows left unmatched (200 by 200: a list rewritten
# wholesale has no renames worth the time; its rows are removed and added).
RENAME_PAIRS = 40_000

# The figures a review looks at, in the order the diff lists them, with the kind each is shown as.
FIGURES: dict[str, str] = {
    "secured": "money",
    "gap_to_target": "money",
    "uncovered_gap": "money",
    "pipeline_coverage": "times",
    "readiness": "share",
    "completeness": "share",
    "position": "text",
}
# The one-line summary names the first two of these that moved (the others follow from them and from the rows
# it counts: the gap from what is secured, completeness and readiness from rows and fields).
SUMMARY_FIGURES = ("secured", "uncovered_gap", "position", "gap_to_target", "pipeline_coverage", "readiness",
                   "completeness")
SUMMARY_FIGURE_COUNT = 2

# Single fields whose change the header already tells (each version's plan date) are not listed as changes.
FIELDS_SHOWN_ELSEWHERE = frozenset({"plan_date"})

# The diff's words are the kit's (`Wording.diff`, `[wording.diff]` in kit.toml; `wording.DIFF` the built-in ones):
# a `PlanDiff` carries the catalogue it was worded with, so each of its layouts says the rest the same way.

# The lists the summary names on their own; the others' changes are counted as "other changes".
SUMMARY_LISTS = ("Opportunities", "Stakeholders")
ACTIONS, RISKS = "Actions", "Risks"


# The diff as data ----------------------------------------------------------------------------------------------

@record
class Version:
    """One side of the diff: which file, which account, the plan's own date and the date it was assessed as of."""

    file: str
    account: str
    plan_date: dt.date | None
    as_of: dt.date
    currency: str


@record
class FigureChange:
    """A figure that moved: its key and label, values before and after, as tables (`text`) and headlines
    (`short`) show them; `direction` up or down (None for a text figure or one that appeared or went), and for
    money in one currency the difference (`delta`, positive) as text; `sentence` says it in words."""

    key: str
    label: str
    kind: str                  # money, times, share, text
    before: Any
    after: Any
    before_text: str
    after_text: str
    before_short: str
    after_short: str
    direction: str | None
    delta: float | None
    delta_text: str
    delta_short: str
    sentence: str


@record
class Change:
    """One value that changed: a column of a row (`attr`, `header`) or a single field (`attr` its defined name,
    `header` its label, `section` its section). `before`/`after` are the typed values (a value the rep typed
    that could not be used is the text typed, with `*_invalid` set), `*_text` as the outputs show them."""

    attr: str
    header: str
    kind: str
    before: Any
    after: Any
    before_text: str
    after_text: str
    before_invalid: bool = False
    after_invalid: bool = False
    section: str = ""


@record
class RowRef:
    """A row added or removed: its name (the name column as shown), its index in its own plan's list, and each
    column's typed value and text by attr."""

    name: str
    index: int
    values: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@record
class RowChange:
    """A row in both versions whose values changed: its name now and before (they differ when it was renamed a
    little), its index in each plan's list, and each column that changed."""

    name: str
    before_name: str
    old_index: int
    new_index: int
    changes: tuple[Change, ...]

    @property
    def renamed(self) -> bool:
        return self.name != self.before_name


@record
class ListDiff:
    """One list's changes: rows added (in the new plan's order), removed (in the old's) and changed."""

    table: str
    title: str                 # the list as a heading: `Opportunities`, `Team members`
    noun: str                  # one row: `opportunity`
    nouns: str                 # many rows: `opportunities`
    section: str
    name_column: str           # the header rows are matched by
    added: tuple[RowRef, ...] = ()
    removed: tuple[RowRef, ...] = ()
    changed: tuple[RowChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


@record
class ActionItem:
    """An action in the review: its text, owner, status and due date now, and before (None for a new one);
    `overdue` when it is open and past its due date on the new plan's as-of date."""

    name: str
    owner: str
    status: str
    due_date: dt.date | None
    before_status: str | None
    before_due_date: dt.date | None
    overdue: bool
    index: int                 # in the new plan's Actions list


@record
class ActionsDiff:
    """The action review. `done`: status became Done; `new`: added; `slipped`: open, due date moved later;
    `newly_overdue`: in both versions, overdue now and not on the old plan's as-of date; `dropped`: removed
    from the plan; `other`: the rest of the Actions list's changes (an owner, a purpose...), the columns the
    four above already tell left out."""

    done: tuple[ActionItem, ...] = ()
    new: tuple[ActionItem, ...] = ()
    slipped: tuple[ActionItem, ...] = ()
    newly_overdue: tuple[ActionItem, ...] = ()
    dropped: tuple[RowRef, ...] = ()
    other: tuple[RowChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.done or self.new or self.slipped or self.newly_overdue or self.dropped or self.other)


@record
class RisksDiff:
    """Risks added, closed (removed from the plan) and changed: the Risks list, in the review's words."""

    added: tuple[RowRef, ...] = ()
    closed: tuple[RowRef, ...] = ()
    changed: tuple[RowChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.closed or self.changed)


@record
class SectionChange:
    """A section whose state changed: its share complete and status (complete, incomplete, missing) before
    and after."""

    name: str
    before: float
    after: float
    before_status: str
    after_status: str
    before_text: str
    after_text: str


@record
class SectionsDiff:
    completed: tuple[SectionChange, ...] = ()
    went_missing: tuple[SectionChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.completed or self.went_missing)


@record
class PlanDiff:
    """Everything that changed from `old` to `new`, as data; `summary` in one line, `summary_parts` its parts;
    `words` the catalogue it was worded with (the kit's `Wording.diff`), which its layouts say the rest in."""

    account: str
    old: Version
    new: Version
    figures: tuple[FigureChange, ...]
    fields: tuple[Change, ...]
    lists: dict[str, ListDiff]                 # every list of the definition, in its order
    actions: ActionsDiff
    risks: RisksDiff
    sections: SectionsDiff
    summary: str = ""
    summary_parts: tuple[str, ...] = ()
    words: dict[str, str] = field(default_factory=lambda: dict(DIFF), compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.figures or self.fields or any(not d.empty for d in self.lists.values())
                    or not self.actions.empty or not self.sections.empty)


# Comparing ----------------------------------------------------------------------------------------------------

def diff_plans(old: Result, new: Result, definition: Definition = DEFAULT_DEFINITION,
               wording: Wording | None = None) -> PlanDiff:
    """What changed from the assessed plan `old` to `new`, two versions of one account's plan.

    Actions are judged on each plan's own as-of date: `newly_overdue` are those overdue on `new`'s and not on
    `old`'s (assess the old version as of its plan date, as `diff_files` does). Raises
    `DifferentAccountsError` when the two plans name different accounts.
    """
    refuse_different_accounts(old.plan, new.plan)
    wording = wording or Wording()
    words = wording.diff
    labels = {**FIGURE_LABELS, **wording.figures, "completeness": words["label_completeness"]}
    currency_old, currency_new = old.figures.currency, new.figures.currency
    cents = _has_cents(old, definition) or _has_cents(new, definition)
    money = {"old": _Money(currency_old, cents), "new": _Money(currency_new, cents)}
    figures = tuple(c for c in (_figure(key, kind, old, new, labels, money, words) for key, kind in FIGURES.items())
                    if c)
    fields = _fields(old, new, definition, money)
    lists = {spec.table: _list(spec, old, new, definition, money, words) for spec in definition.lists.values()}
    actions = _actions(lists.get(ACTIONS), old, new, definition)
    risks_list = lists.get(RISKS)
    risks = RisksDiff(risks_list.added, risks_list.removed, risks_list.changed) if risks_list else RisksDiff()
    sections = _sections(old, new, definition)
    diff = PlanDiff(
        account=new.plan.account_name or old.plan.account_name,
        old=_version(old), new=_version(new), figures=figures, fields=fields, lists=lists, actions=actions,
        risks=risks, sections=sections, words=words)
    parts = _summary_parts(diff)
    summary = "; ".join(parts) if parts else words["no_change"]
    return replace(diff, summary=_capital(summary), summary_parts=tuple(parts))


def diff_files(old: str | os.PathLike, new: str | os.PathLike, as_of: dt.date | None = None,
               kit: Kit | None = None) -> PlanDiff:
    """Read two workbooks and diff them: the new one assessed as of `as_of` (default today), the old one as of
    its own plan date (when it has one before `as_of`), so "newly overdue" means since the old version was
    written. Raises an `AccountPlanError` for a file that cannot be used, or for plans of two accounts."""
    from .kit import default_kit
    from .pipeline import assess
    from .plan.reader import read_plan

    kit = kit or default_kit()
    as_of = as_of or dt.date.today()
    old_plan = read_plan(old)
    new_plan = read_plan(new)
    refuse_different_accounts(old_plan, new_plan)
    plan_date = old_plan.fields.get("plan_date")
    old_as_of = min(_day(plan_date), as_of) if isinstance(plan_date, dt.date) else as_of
    return diff_plans(assess(old_plan, old_as_of, kit=kit), assess(new_plan, as_of, kit=kit), kit.definition,
                      kit.wording)


def same_account(a: str, b: str) -> bool:
    """Whether two account names are one account's: letters and digits alike, ignoring case, spacing and
    punctuation (`ACME Ltd` and `Acme  ltd.`); a blank name matches any (there is nothing to tell them by)."""
    key_a, key_b = account_key(a), account_key(b)
    return not key_a or not key_b or key_a == key_b


def refuse_different_accounts(old, new) -> None:
    """Raise `DifferentAccountsError` when the two plans (`Plan`s) name different accounts."""
    if not same_account(old.account_name, new.account_name):
        raise DifferentAccountsError(
            f"{old.file or 'the first plan'} is the plan of '{_one_line(old.account_name)}' and "
            f"{new.file or 'the second'} of '{_one_line(new.account_name)}', a different account",
            hint="compare two versions of the same account's plan")


def account_key(name: str) -> str:
    """What `same_account` compares: the name's letters and digits, lower case, one space between words
    (`ACME  Ltd.` -> `acme ltd`); "" for a blank name."""
    return " ".join(re.findall(r"\w+", (name or "").casefold()))


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def _version(result: Result) -> Version:
    plan_date = result.plan.fields.get("plan_date")
    return Version(result.plan.file, result.plan.account_name,
                   _day(plan_date) if isinstance(plan_date, dt.date) else None, result.figures.as_of,
                   result.figures.currency)


# Figures ----------------------------------------------------------------------------------------------------

class _Money:
    """Money as the outputs write it: whole units in tables (cents only when the plans have any), scaled in
    headlines."""

    def __init__(self, currency: str, cents: bool):
        self.currency, self.cents = currency, cents

    def __call__(self, value: float | None) -> str:
        return fmt.money(value, self.currency, self.cents)

    def short(self, value: float | None) -> str:
        return fmt.money_short(value, self.currency)


def _has_cents(result: Result, d: Definition) -> bool:
    plan, currency = result.plan, result.figures.currency
    amounts = [plan.fields.get(item.name) for item in d.fields.values() if item.kind == schema.MONEY]
    for spec in d.lists.values():
        attrs = [c.attr for c in spec.columns if c.kind == schema.MONEY]
        amounts += [getattr(row, attr, None) for row in plan.lists.get(spec.table, []) for attr in attrs]
    return any(_is_number(v) and fmt.has_cents(v, currency) for v in amounts)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _figure_value(result: Result, key: str) -> Any:
    return result.figures.completeness.overall if key == "completeness" else getattr(result.figures, key)


def _figure_text(kind: str, value: Any, money: _Money) -> tuple[str, str]:
    if kind == "money":
        return money(value), money.short(value)
    text = fmt.times(value) if kind == "times" else fmt.share(value) if kind == "share" else fmt.text(value)
    return text, text


def _figure(key: str, kind: str, old: Result, new: Result, labels: dict[str, str],
            money: dict[str, _Money], words: dict[str, str]) -> FigureChange | None:
    """The figure `key` when it moved as the outputs show it (a move no output can show is no move)."""
    before, after = _figure_value(old, key), _figure_value(new, key)
    before_text, before_short = _figure_text(kind, before, money["old"])
    after_text, after_short = _figure_text(kind, after, money["new"])
    if before_text == after_text:
        return None
    label = labels.get(key, key)
    same_currency = money["old"].currency == money["new"].currency
    direction = delta = None
    delta_text = delta_short = ""
    if _is_number(before) and _is_number(after) and (kind != "money" or same_currency):
        direction = words["verb_up"] if after > before else words["verb_down"]
        if kind == "money":
            delta = abs(after - before)
            delta_text, delta_short = money["new"](delta), money["new"].short(delta)
    if delta is not None and 0 in (before, after):      # from or to nothing: the move is the amount itself
        sentence = words["became"].format(label=label, before=before_short, after=after_short)
    elif delta is not None:
        sentence = words["money_up" if after > before else "money_down"].format(
            label=label, delta=delta_short, after=after_short)
    elif direction is not None:
        sentence = words["moved_up" if after > before else "moved_down"].format(
            label=label, before=before_short, after=after_short)
    else:
        sentence = words["became"].format(label=label, before=before_short, after=after_short)
    return FigureChange(key, label, kind, before, after, before_text, after_text, before_short, after_short,
                        direction, delta, delta_text, delta_short, sentence)


# Values: compared by meaning, shown as the outputs show them --------------------------------------------------

def _value(value: Any, attr: str, kind: str, typed: dict) -> tuple[Any, bool]:
    """(the value, whether it is what the rep typed and could not be used: the text typed, from `typed`)."""
    if (value is None or value == "") and typed.get(attr) is not None:
        return typed[attr], True
    if kind == schema.MARK:
        return bool(value), False
    return value, False


def _meaning(value: Any, invalid: bool) -> Any:
    """What a value means, for comparing: text without case or spacing, numbers to the millionth, blank None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return (invalid, " ".join(value.split()).casefold())
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _text(kind: str, value: Any, invalid: bool, money: _Money) -> str:
    if invalid:
        return str(value)
    if value is None or value == "":
        return fmt.NONE
    if kind == schema.MONEY and _is_number(value):
        return money(value)
    if kind == schema.PERCENT and _is_number(value):
        return fmt.share(value)
    return fmt.text(value)


def _change(attr: str, header: str, kind: str, old: tuple[Any, bool], new: tuple[Any, bool],
            money: dict[str, _Money], section: str = "") -> Change | None:
    if _meaning(*old) == _meaning(*new):
        return None
    return Change(attr, header, kind, old[0], new[0], _text(kind, *old, money["old"]), _text(kind, *new, money["new"]),
                  old[1], new[1], section)


def _field(result: Result, item: schema.Field) -> tuple[Any, bool]:
    plan = result.plan
    return _value(plan.fields.get(item.name), item.name, item.kind, plan.typed)


def _cell(row: Any, column: schema.Column) -> tuple[Any, bool]:
    return _value(getattr(row, column.attr, None), column.attr, column.kind, getattr(row, "typed", {}))


def _fields(old: Result, new: Result, d: Definition, money: dict[str, _Money]) -> tuple[Change, ...]:
    changes = []
    for section in d.sections:
        for item in section.fields:
            if item.name in FIELDS_SHOWN_ELSEWHERE:
                continue
            change = _change(item.name, item.label, item.kind, _field(old, item), _field(new, item), money,
                             section.name)
            if change:
                changes.append(change)
    return tuple(changes)


# Lists --------------------------------------------------------------------------------------------------------

def _key(row: Any, column: schema.Column) -> str:
    """The name a row is matched by: its first column, without case or spacing (a date as ISO)."""
    value, _ = _cell(row, column)
    if value is None or value is False:
        return ""
    if isinstance(value, dt.date):
        return _day(value).isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()).casefold()


def match_rows(spec: schema.ListSpec, old_rows: list, new_rows: list) -> tuple[list[tuple[int, int]], list[int],
                                                                                 list[int]]:
    """(pairs (old index, new index) in the new list's order, old rows removed, new rows added).

    Rows are matched by the list's name column (its first) ignoring case and spacing, repeats in their order;
    then, among those left, a name renamed a little (similarity at least `RENAME_RATIO`, the most similar
    pairs first) when the name column is text (and at most `RENAME_PAIRS` pairs are left). Anything else is
    removed and added.
    """
    column = spec.columns[0]
    old_keys = [_key(r, column) for r in old_rows]
    new_keys = [_key(r, column) for r in new_rows]
    waiting: dict[str, deque[int]] = {}
    for i, key in enumerate(old_keys):
        waiting.setdefault(key, deque()).append(i)
    pairs: list[tuple[int, int]] = []
    for j, key in enumerate(new_keys):
        if waiting.get(key):
            pairs.append((waiting[key].popleft(), j))
    paired_old, paired_new = {i for i, _ in pairs}, {j for _, j in pairs}
    old_left = [i for i in range(len(old_rows)) if i not in paired_old]
    new_left = [j for j in range(len(new_rows)) if j not in paired_new]
    if column.kind in (schema.TEXT, schema.LONG_TEXT) and len(old_left) * len(new_left) <= RENAME_PAIRS:
        candidates = sorted(_similar(old_keys, new_keys, old_left, new_left), key=lambda c: (-c[0], c[2], c[1]))
        taken_old, taken_new = set(), set()
        for _, i, j in candidates:
            if i not in taken_old and j not in taken_new:
                pairs.append((i, j))
                taken_old.add(i)
                taken_new.add(j)
        old_left = [i for i in old_left if i not in taken_old]
        new_left = [j for j in new_left if j not in taken_new]
    return sorted(pairs, key=lambda p: p[1]), old_left, new_left


def _similar(old_keys: list[str], new_keys: list[str], old_left: list[int], new_left: list[int]):
    """(ratio, old index, new index) of every pair of names at least `RENAME_RATIO` alike (difflib's ratio; its
    cheap upper bounds first, each new name's matcher made once)."""
    for j in new_left:
        if not new_keys[j]:
            continue
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(new_keys[j])
        for i in old_left:
            if not old_keys[i]:
                continue
            matcher.set_seq1(old_keys[i])
            if matcher.real_quick_ratio() >= RENAME_RATIO and matcher.quick_ratio() >= RENAME_RATIO:
                ratio = matcher.ratio()
                if ratio >= RENAME_RATIO:
                    yield ratio, i, j


def _nouns(spec: schema.ListSpec, words: dict[str, str]) -> tuple[str, str]:
    """A list's row as a noun, one and many: the words' `noun_<Table>`, else its row type in words."""
    if f"noun_{spec.table}" in words:
        return words[f"noun_{spec.table}"], words.get(f"nouns_{spec.table}", words[f"noun_{spec.table}"])
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", spec.row_type).lower()
    return words, words + "s"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row_ref(spec: schema.ListSpec, row: Any, index: int, money: _Money) -> RowRef:
    values, texts = {}, {}
    for c in spec.columns:
        value, invalid = _cell(row, c)
        values[c.attr], texts[c.attr] = value, _text(c.kind, value, invalid, money)
    return RowRef(texts[spec.columns[0].attr], index, values, texts)


def _list(spec: schema.ListSpec, old: Result, new: Result, d: Definition, money: dict[str, _Money],
          words: dict[str, str]) -> ListDiff:
    old_rows, new_rows = old.plan.lists.get(spec.table, []), new.plan.lists.get(spec.table, [])
    pairs, removed, added = match_rows(spec, old_rows, new_rows)
    changed = []
    for i, j in pairs:
        a, b = old_rows[i], new_rows[j]
        changes = tuple(c for c in (
            _change(col.attr, col.header, col.kind, _cell(a, col), _cell(b, col), money) for col in spec.columns) if c)
        if changes:
            name = _row_ref(spec, b, j, money["new"]).name
            changed.append(RowChange(name, _row_ref(spec, a, i, money["old"]).name, i, j, changes))
    noun, nouns = _nouns(spec, words)
    return ListDiff(
        table=spec.table, title=_capital(nouns), noun=noun, nouns=nouns, section=d.section_of(spec.table).name,
        name_column=spec.columns[0].header,
        added=tuple(_row_ref(spec, new_rows[j], j, money["new"]) for j in added),
        removed=tuple(_row_ref(spec, old_rows[i], i, money["old"]) for i in removed),
        changed=tuple(changed))


# The action review --------------------------------------------------------------------------------------------

def _actions(actions: ListDiff | None, old: Result, new: Result, d: Definition) -> ActionsDiff:
    if actions is None:
        return ActionsDiff()
    spec = d.lists[ACTIONS]
    old_rows, new_rows = old.plan.lists.get(ACTIONS, []), new.plan.lists.get(ACTIONS, [])
    pairs, _, added = match_rows(spec, old_rows, new_rows)
    overdue_now, overdue_then = set(new.figures.overdue_actions), set(old.figures.overdue_actions)
    open_now = set(new.figures.open_actions)

    def item(j: int, i: int | None) -> ActionItem:
        b = new_rows[j]
        a = old_rows[i] if i is not None else None
        return ActionItem(
            name=fmt.text(b.action) if b.action else fmt.NONE, owner=b.owner or "",
            status=b.status or d.default_status, due_date=b.due_date,
            before_status=(a.status or d.default_status) if a is not None else None,
            before_due_date=a.due_date if a is not None else None,
            overdue=j in overdue_now, index=j)

    done, slipped, newly_overdue, explained = [], [], [], {}
    for i, j in pairs:
        a, b = old_rows[i], new_rows[j]
        before, after = a.status or d.default_status, b.status or d.default_status
        if after == d.done and before != d.done:
            done.append(item(j, i))
            explained.setdefault(j, set()).add("status")
        if j in open_now and a.due_date and b.due_date and _day(b.due_date) > _day(a.due_date):
            slipped.append(item(j, i))
            explained.setdefault(j, set()).add("due_date")
        if j in overdue_now and i not in overdue_then:
            newly_overdue.append(item(j, i))
    other = []
    for change in actions.changed:
        rest = tuple(c for c in change.changes if c.attr not in explained.get(change.new_index, set()))
        if rest:
            other.append(RowChange(change.name, change.before_name, change.old_index, change.new_index, rest))
    return ActionsDiff(done=tuple(done), new=tuple(item(j, None) for j in added), slipped=tuple(slipped),
                       newly_overdue=tuple(newly_overdue), dropped=actions.removed, other=tuple(other))


# Sections -----------------------------------------------------------------------------------------------------

def _status(result: Result, name: str) -> str:
    c = result.figures.completeness
    return "missing" if name in c.missing else "incomplete" if name in c.incomplete else "complete"


def _sections(old: Result, new: Result, d: Definition) -> SectionsDiff:
    completed, went_missing = [], []
    for section in d.sections:
        before_status, after_status = _status(old, section.name), _status(new, section.name)
        if before_status == after_status:
            continue
        before = old.figures.completeness.sections.get(section.name, 1.0)
        after = new.figures.completeness.sections.get(section.name, 1.0)
        change = SectionChange(section.name, before, after, before_status, after_status, fmt.share(before),
                               fmt.share(after))
        if after_status == "complete":
            completed.append(change)
        elif after_status == "missing":
            went_missing.append(change)
    return SectionsDiff(tuple(completed), tuple(went_missing))


# The summary --------------------------------------------------------------------------------------------------

def _counted(words: dict[str, str], noun: tuple[str, str], counts: list[tuple[int, str]]) -> str:
    """`2 opportunities added, 1 removed, 3 changed` from the counts that are not zero."""
    said = []
    for count, verb in ((c, v) for c, v in counts if c):
        key = "count_rest" if said else "count_first"
        said.append(words[key].format(count=count, noun=noun[count != 1], verb=words[f"verb_{verb}"]))
    return ", ".join(said)


def _lower_first(text: str) -> str:
    """`Secured up ...` -> `secured up ...` inside a sentence; an acronym (`ARR`) stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _summary_parts(diff: PlanDiff) -> list[str]:
    w = diff.words
    moved = {c.key: c for c in diff.figures}
    parts = [moved[key].sentence for key in SUMMARY_FIGURES if key in moved][:SUMMARY_FIGURE_COUNT]
    other = len(diff.fields)
    for table, listed in diff.lists.items():
        if table in SUMMARY_LISTS:
            parts.append(_counted(w, (listed.noun, listed.nouns), [
                (len(listed.added), "added"), (len(listed.removed), "removed"), (len(listed.changed), "changed")]))
        elif table == ACTIONS:
            a = diff.actions
            parts.append(_counted(w, (listed.noun, listed.nouns), [
                (len(a.done), "done"), (len(a.new), "new"), (len(a.slipped), "slipped"),
                (len(a.newly_overdue), "newly_overdue"), (len(a.dropped), "dropped")]))
            other += len(a.other)
        elif table == RISKS:
            parts.append(_counted(w, (listed.noun, listed.nouns), [
                (len(listed.added), "added"), (len(listed.removed), "closed"), (len(listed.changed), "changed")]))
        else:
            other += listed.count
    s = diff.sections
    parts.append(_counted(w, (w["section"], w["sections_noun"]), [
        (len(s.completed), "completed"), (len(s.went_missing), "went_missing")]))
    if other:
        parts.append(w["other_changes" if other == 1 else "other_changes_many"].format(count=other))
    parts = [p for p in parts if p]
    return [p if n == 0 else _lower_first(p) for n, p in enumerate(parts)]


# Layouts: JSON and the memo -------------------------------------------------------------------------------------

def _json_value(kind: str, value: Any) -> Any:
    """JSON-safe: dates as ISO strings, money as plain numbers (whole amounts as integers), shares to 4 places."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if _is_number(value):
        if kind in ("share", "times", schema.PERCENT):
            return round(value, 4)
        return int(value) if float(value).is_integer() else round(value, 2)
    return str(value)


def _version_json(v: Version) -> dict:
    return {"file": v.file, "account_name": v.account, "plan_date": _json_value(schema.DATE, v.plan_date),
            "as_of": v.as_of.isoformat(), "currency": v.currency}


def _action_json(a: ActionItem) -> dict:
    return {"name": a.name, "owner": a.owner, "status": a.status, "due_date": _json_value(schema.DATE, a.due_date),
            "overdue": a.overdue, "before_status": a.before_status,
            "before_due_date": _json_value(schema.DATE, a.before_due_date)}


def _changed_json(changes: tuple[RowChange, ...]) -> list[dict]:
    return [{"name": row.name, "column": c.header, "before": _json_value(c.kind, c.before),
             "after": _json_value(c.kind, c.after)} for row in changes for c in row.changes]


def to_json(diff: PlanDiff) -> dict:
    """The diff as `accountplan diff --json` prints it."""
    return {
        "old": _version_json(diff.old),
        "new": _version_json(diff.new),
        "summary": diff.summary,
        "figures": [{"key": c.key, "before": _json_value(c.kind, c.before), "after": _json_value(c.kind, c.after)}
                    for c in diff.figures],
        "fields": [{"name": c.attr, "label": c.header, "before": _json_value(c.kind, c.before),
                    "after": _json_value(c.kind, c.after)} for c in diff.fields],
        "lists": {table: {"added": [r.name for r in d.added], "removed": [r.name for r in d.removed],
                          "changed": _changed_json(d.changed)} for table, d in diff.lists.items()},
        "actions": {"done": [_action_json(a) for a in diff.actions.done],
                    "new": [_action_json(a) for a in diff.actions.new],
                    "slipped": [_action_json(a) for a in diff.actions.slipped],
                    "newly_overdue": [_action_json(a) for a in diff.actions.newly_overdue]},
        "risks": {"added": [r.name for r in diff.risks.added], "closed": [r.name for r in diff.risks.closed]},
        "sections": {"completed": [s.name for s in diff.sections.completed],
                     "went_missing": [s.name for s in diff.sections.went_missing]},
    }


MEMO_CLIP = 60          # characters of a long value the memo shows


def _clip(text: str) -> str:
    text = _one_line(text)
    return text if len(text) <= MEMO_CLIP else text[:MEMO_CLIP - 1].rstrip() + "…"


def _rows(lines: list[str], w: dict[str, str], verb: str, names: list[str], width: int) -> None:
    for name in names:
        lines.append(f"  {w['verb_' + verb]:<{width}}  {name}")


def _changes(lines: list[str], w: dict[str, str], rows: tuple[RowChange, ...], width: int) -> None:
    for row in rows:
        for c in row.changes:
            lines.append(f"  {w['verb_changed']:<{width}}  " + w["change"].format(
                name=_clip(row.name), column=c.header, before=_clip(c.before_text), after=_clip(c.after_text)))


def _width(w: dict[str, str], *verbs: str) -> int:
    return max(len(w[f"verb_{v}"]) for v in verbs)


def to_text(diff: PlanDiff) -> str:
    """The memo: a headline, the figures that moved, then what changed list by list."""
    s = diff.words
    old, new = diff.old, diff.new
    account = _one_line(diff.account) or fmt.NONE
    title = s["title_since"].format(account=account, date=fmt.date(old.plan_date)) if old.plan_date \
        else s["title"].format(account=account)
    lines = [title]
    for which, v in (("old", old), ("new", new)):
        lines.append(s["version"].format(which=s[f"version_{which}"], file=v.file, plan_date=fmt.date(v.plan_date),
                                         as_of=fmt.date(v.as_of)))
    lines += ["", s["summary_line"].format(summary=diff.summary), ""]
    if diff.figures:
        lines.append(s["figures"])
        width = max(len(c.label) for c in diff.figures)
        for c in diff.figures:
            text = s["figure_delta"].format(before=c.before_text, after=c.after_text, direction=c.direction,
                                            delta=c.delta_text) if c.delta is not None \
                else s["figure_change"].format(before=c.before_text, after=c.after_text)
            lines.append(f"  {c.label:<{width}}  {text}")
        lines.append("")
    if diff.fields:
        lines.append(s["fields"])
        width = max(len(c.header) for c in diff.fields)
        for c in diff.fields:
            lines.append(f"  {c.header:<{width}}  " + s["field_change"].format(before=_clip(c.before_text),
                                                                                  after=_clip(c.after_text)))
        lines.append("")
    for table, listed in diff.lists.items():
        if table == ACTIONS and not diff.actions.empty:
            lines += _action_lines(s, listed, diff.actions)
        elif table == RISKS and not diff.risks.empty:
            width = _width(s, "added", "closed", "changed")
            lines.append(listed.title)
            _rows(lines, s, "added", [_clip(r.name) for r in diff.risks.added], width)
            _rows(lines, s, "closed", [_clip(r.name) for r in diff.risks.closed], width)
            _changes(lines, s, diff.risks.changed, width)
            lines.append("")
        elif table not in (ACTIONS, RISKS) and not listed.empty:
            width = _width(s, "added", "removed", "changed")
            lines.append(listed.title)
            _rows(lines, s, "added", [_clip(r.name) for r in listed.added], width)
            _rows(lines, s, "removed", [_clip(r.name) for r in listed.removed], width)
            _changes(lines, s, listed.changed, width)
            lines.append("")
    if not diff.sections.empty:
        width = _width(s, "completed", "went_missing")
        lines.append(s["sections"])
        _rows(lines, s, "completed", [s["section_share"].format(name=c.name, before=c.before_text,
                                                                after=c.after_text) for c in diff.sections.completed],
              width)
        _rows(lines, s, "went_missing", [c.name for c in diff.sections.went_missing], width)
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def _action_lines(s: dict[str, str], listed: ListDiff, a: ActionsDiff) -> list[str]:
    width = _width(s, "done", "new", "slipped", "newly_overdue", "dropped", "changed")
    lines = [listed.title]
    _rows(lines, s, "done", [s["action_done"].format(name=_clip(i.name)) for i in a.done], width)
    _rows(lines, s, "new", [s["action_new"].format(name=_clip(i.name), due=fmt.date(i.due_date),
                                                   owner=i.owner or fmt.NONE) for i in a.new], width)
    _rows(lines, s, "slipped", [s["action_slipped"].format(name=_clip(i.name), before=fmt.date(i.before_due_date),
                                                           after=fmt.date(i.due_date)) for i in a.slipped], width)
    _rows(lines, s, "newly_overdue", [s["action_overdue"].format(name=_clip(i.name), due=fmt.date(i.due_date),
                                                                 owner=i.owner or fmt.NONE)
                                      for i in a.newly_overdue], width)
    _rows(lines, s, "dropped", [_clip(r.name) for r in a.dropped], width)
    _changes(lines, s, a.other, width)
    lines.append("")
    return lines


# A build's "what changed since" -----------------------------------------------------------------------------------

PROPOSED_REVIEW = "Proposed by accountplan: keep or edit"
"""The comment on the first cell of the Reviews row a build with `--since` proposes; while it is there the row is
still the proposal (a rebuild rewrites it, and the diff leaves it out), once the rep removes it the row is theirs."""
REVIEW_TYPE = "Quarterly review"
TOP_ITEMS = 3           # the names the deck and the document show for each kind of change


def since_title(diff: PlanDiff) -> str:
    """`What changed since 2 Nov 2026` (the old version's plan date, else its as-of date)."""
    return diff.words["since"].format(date=fmt.date(diff.old.plan_date or diff.old.as_of))


def diff_since(old: str | os.PathLike | bytes, new: Result, kit: Kit | None = None, name: str = "") -> PlanDiff:
    """What changed from the workbook `old` (a path, or its bytes shown as `name`) to the plan `new` a build
    has just assessed: the old one assessed as of its own plan date (as `diff_files` does). A Reviews row still
    marked as proposed by a previous build is left out of `new` (it is this build's own, not a change the rep
    made)."""
    from .kit import default_kit
    from .pipeline import assess
    from .plan.reader import read_plan

    kit = kit or default_kit()
    old_plan = read_plan(old, name, definition=kit.definition)
    refuse_different_accounts(old_plan, new.plan)
    as_of = new.figures.as_of
    plan_date = old_plan.fields.get("plan_date")
    old_as_of = min(_day(plan_date), as_of) if isinstance(plan_date, dt.date) else as_of
    proposed = proposed_reviews(new.plan)
    if proposed:
        rows = [row for i, row in enumerate(new.plan.lists.get("Reviews", [])) if i not in proposed]
        new = assess(replace(new.plan, lists={**new.plan.lists, "Reviews": rows}), as_of, kit=kit)
    return diff_plans(assess(old_plan, old_as_of, kit=kit), new, kit.definition, kit.wording)


def proposed_reviews(plan) -> set[int]:
    """The indexes of the plan's Reviews rows whose first cell still carries the proposal's comment."""
    workbook, found = plan.workbook, set()
    if workbook is None:
        return found
    for i, row in enumerate(plan.lists.get("Reviews", [])):
        table = plan.tables.get("Reviews")
        place = row.place("date") or (table.cell("date", row.excel_row) if table and row.excel_row else None)
        if place is None or place.sheet not in workbook.sheetnames:
            continue
        comment = workbook[place.sheet][place.cell].comment
        if comment is not None and PROPOSED_REVIEW in (comment.text or ""):
            found.add(i)
    return found


def _names(words: dict[str, str], refs, count: int = TOP_ITEMS) -> str:
    names = [_clip(getattr(r, "name", r)) for r in refs]
    shown = ", ".join(names[:count])
    return words["names_more"].format(names=shown, count=len(names) - count) if len(names) > count else shown


def overview_rows(diff: PlanDiff) -> list[tuple[str, str, str]]:
    """The changes the deck and the document show, one row per kind: (area, what, top items), e.g.
    (`Opportunities`, `2 added`, `Fleet telematics pilot, ...`). Figures are not here (see `diff.figures`)."""
    w, rows = diff.words, []

    def add(area: str, verb: str, items) -> None:
        if items:
            rows.append((area, w["count_rest"].format(count=len(items), verb=w[f"verb_{verb}"]), _names(w, items)))

    for table, listed in diff.lists.items():
        if table == ACTIONS:
            a = diff.actions
            for verb, items in (("done", a.done), ("new", a.new), ("slipped", a.slipped),
                                ("newly_overdue", a.newly_overdue), ("dropped", a.dropped)):
                add(listed.title, verb, items)
            add(listed.title, "changed", a.other)
        elif table == RISKS:
            add(listed.title, "added", diff.risks.added)
            add(listed.title, "closed", diff.risks.closed)
            add(listed.title, "changed", diff.risks.changed)
        else:
            add(listed.title, "added", listed.added)
            add(listed.title, "removed", listed.removed)
            add(listed.title, "changed", listed.changed)
    add(w["fields"], "changed", [c.header for c in diff.fields])
    add(w["sections"], "completed", [c.name for c in diff.sections.completed])
    add(w["sections"], "went_missing", [c.name for c in diff.sections.went_missing])
    return rows


CHANGE_HEADERS = ("header_area", "header_item", "header_column", "header_before", "header_after")
CHANGE_COLUMNS = tuple(DIFF[key] for key in CHANGE_HEADERS)
"""The Changes sheet's columns in the built-in words (`change_columns` gives a diff's own)."""


def change_columns(diff: PlanDiff) -> tuple[str, ...]:
    """The Changes sheet's column headers, in the diff's words: area, item, column, before, after."""
    return tuple(diff.words[key] for key in CHANGE_HEADERS)


def change_rows(diff: PlanDiff) -> list[tuple[str, str, str, str, str]]:
    """Every change, one row each (area, item, column, before, after), as the checked workbook's Changes sheet
    lists them: the figures, the fields, then each list's rows added, removed and changed (the action review's
    done, new, slipped and newly overdue under Actions)."""
    w, rows = diff.words, []
    rows += [(w["figures"], c.label, "", c.before_text, c.after_text) for c in diff.figures]
    rows += [(w["fields"], c.header, c.section, c.before_text, c.after_text) for c in diff.fields]
    for table, listed in diff.lists.items():
        if table == ACTIONS:
            a = diff.actions
            rows += [(listed.title, i.name, w["header_status"], i.before_status or "", i.status) for i in a.done]
            rows += [(listed.title, i.name, w["verb_new"], "", fmt.date(i.due_date)) for i in a.new]
            rows += [(listed.title, i.name, w["header_due_date"], fmt.date(i.before_due_date), fmt.date(i.due_date))
                     for i in a.slipped]
            rows += [(listed.title, i.name, w["verb_newly_overdue"], "", fmt.date(i.due_date))
                     for i in a.newly_overdue]
            rows += [(listed.title, r.name, w["verb_dropped"], r.name, "") for r in a.dropped]
            rows += [(listed.title, r.name, c.header, c.before_text, c.after_text) for r in a.other for c in r.changes]
            continue
        removed = w["verb_closed" if table == RISKS else "verb_removed"]
        rows += [(listed.title, r.name, w["verb_added"], "", r.name) for r in listed.added]
        rows += [(listed.title, r.name, removed, r.name, "") for r in listed.removed]
        rows += [(listed.title, r.name, c.header, c.before_text, c.after_text) for r in listed.changed
                 for c in r.changes]
    rows += [(w["sections"], c.name, w["verb_completed"], c.before_text, c.after_text)
             for c in diff.sections.completed]
    rows += [(w["sections"], c.name, w["verb_went_missing"], c.before_text, c.after_text)
             for c in diff.sections.went_missing]
    return rows
