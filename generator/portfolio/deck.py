"""The portfolio deck: the manager's review of many plans, on the plan deck's grid, in the kit's brand.

Slides, each with a title that states its point:

1. **Portfolio** — how many plans, and per currency the target, secured, weighted open and uncovered gap.
1a. **Moved since last review** (with `--since DIR`) — the accounts that moved since their earlier version,
   the largest move of the uncovered gap first, each with the diff's summary line; then those unchanged, new
   since the last review, or whose earlier version could not be used.
2. **Path to the number** (one per currency) — a native chart like the plan deck's: secured, each open stage
   weighted, what the accounts above their target have to spare (which covers nobody else's gap), the uncovered
   gap, ending at the summed target; the totals beside it.
3. **Position** — the accounts on the Key / Target / Managed / Maintained matrix, names in their quadrant.
4. **Uncovered gap by account** (one per currency) — the accounts ranked, largest gap first.
5. **Plan health** — per plan, worst first: errors, completeness, overdue actions, exposed stages, no
   decision maker.
6. **Overdue actions** — by owner, and the oldest ones.
7. **Files not read** (only when some could not be used) — each with its reason.

Long lists show their first rows and "and K more". Every number is a plan's own figure or a sum of them.
Every word is the kit's: `kit.wording.portfolio` (figure labels `kit.wording.figures`, moves `kit.wording.diff`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from .. import PRODUCER, fmt
from ..kit import Kit, default_kit
from ..render.deck_parts import (BODY_BOTTOM, BODY_TOP, CONTENT_W, INSET_X, MARGIN, TABLE_SIZE, Box, Cell,
                                 Col, DatedChartData, DeckFile, Para, fit_table, paginate, rgb, wrap)
from . import NEW, UNCHANGED, UNNAMED, UNUSABLE, CurrencyTotal, PlanEntry, Portfolio, moved, with_status

GAP = 16.0
SIZES = (14.0, 13.0, 12.0, TABLE_SIZE)
DENSE = (12.0, TABLE_SIZE)        # wide tables of many columns: one size for a few rows or many
POSITIONS = (("Target", "matrix_target", 0, 0), ("Key", "matrix_key", 1, 0),       # a position, its caption's key
             ("Maintained", "matrix_maintained", 0, 1), ("Managed", "matrix_managed", 1, 1))
NOT_PLACED = "Not placed"         # the accounts without a position, by this key (never shown)


def render(portfolio: Portfolio, path: Path, kit: Kit | None = None) -> None:
    """Write the portfolio deck to `path` (.pptx)."""
    kit = kit or default_kit()
    words = kit.wording.portfolio
    as_of = portfolio.as_of or dt.date.today()
    deck = DeckFile(words["deck_footer"].format(count=len(portfolio.plans), date=fmt.date(as_of)), kit.brand,
                    kit.deck_template)
    cover_slide(deck, portfolio, kit)
    if portfolio.since is not None:
        moved_slide(deck, portfolio, kit)
    for currency, total in portfolio.totals.items():
        path_slide(deck, portfolio, total, kit)
    matrix_slide(deck, portfolio, kit)
    for currency in portfolio.totals:
        ranked_slide(deck, portfolio, currency, kit)
    health_slide(deck, portfolio, kit)
    overdue_slide(deck, portfolio, kit)
    if portfolio.refused:
        refused_slide(deck, portfolio, kit)
    deck.save(Path(path), as_of, words["deck_title"], PRODUCER)


# Shared pieces ------------------------------------------------------------------------------------

def _money(value: float | None, currency: str) -> str:
    return fmt.money(value, currency)


def _short(value: float | None, currency: str) -> str:
    return fmt.money_short(value, currency)


def _count(words: dict[str, str], noun: str, n: int) -> str:
    """`n` of a counted noun in the kit's words: `count_<noun>_one` for one, `count_<noun>` for any other."""
    return words[f"count_{noun}_one" if n == 1 else f"count_{noun}"].format(count=n)


def _more_rows(words: dict[str, str], noun: str) -> Callable[[int], str]:
    """The line under a cut table: "and K more <noun>"."""
    return lambda k: words["more"].format(rows=_count(words, noun, k))


def _more(deck: DeckFile, slide, x: float, y: float, w: float, text: str) -> None:
    deck.text(slide, Box(x, y, w, 24), [Para(text, 11, colour=deck.brand.muted, max_lines=1)], name="More")


def _fitted(cols: list[Col], rows: list[list], height: float, more: callable, max_lines: int = 2, sizes=SIZES):
    """(size, rows shown, how many are left out): as many of `rows` as one page of `height` holds at the
    smallest table size, leaving room for the line `more(k)` says under it when k rows are left out."""
    count = len(rows)
    while count > 1 and len(paginate(cols, rows[:count], height - (26 if count < len(rows) else 0),
                                     TABLE_SIZE, max_lines)) > 1:
        count -= 1
    room = height - (26 if count < len(rows) else 0)
    size, pages = fit_table(cols, rows[:count], room, sizes=sizes, max_lines=max_lines)
    return size, pages[0], len(rows) - count


def _table(deck: DeckFile, slide, x: float, y: float, cols: list[Col], rows: list[list], height: float,
           more: callable, name: str, max_lines: int = 2, sizes=SIZES) -> float:
    """A table of as many rows as fit, "and K more" under it; the y under it all."""
    size, page, rest = _fitted(cols, rows, height, more, max_lines, sizes)
    shape = deck.table(slide, x, y, cols, page, size, name=name)
    below = y + shape.height / 12700 + 4
    if rest:
        _more(deck, slide, x, below, sum(c.width for c in cols), more(rest))
        below += 24
    return below


def _tone(deck: DeckFile, bad: bool, text: str) -> Cell:
    return Cell(text, deck.brand.bad, bold=True) if bad else Cell(text)


# 1. Cover ---------------------------------------------------------------------------------------

def cover_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    brand, plans, words = deck.brand, portfolio.plans, kit.wording.portfolio
    counts = portfolio.action_counts()
    counted = _count(words, "account_plans", len(plans))
    title = (words["cover_title"].format(plans=counted, date=fmt.date(portfolio.as_of)) if portfolio.as_of
             else words["cover_title_undated"].format(plans=counted))
    slide = deck.slide(title, words["cover_notes"], words["cover_topic"])
    labels = kit.wording.figures
    keys = ("annual_target", "secured", "weighted_open", "uncovered_gap")
    y = BODY_TOP + 8
    rows = list(portfolio.totals.items())[:3]
    tile_h = {1: 96.0, 2: 80.0}.get(len(rows), 62.0)
    width = (CONTENT_W - 120 - 8 * (len(keys) + 1)) / (len(keys) + 1)
    for currency, total in rows:
        deck.text(slide, Box(MARGIN, y, 112, tile_h), [
            Para(currency, 20, True, brand.primary, max_lines=1),
            Para(_count(words, "plans", total.plans), 11, colour=brand.muted, max_lines=1)],
            name=f"Currency {currency}", anchor=MSO_ANCHOR.MIDDLE)
        x = MARGIN + 120
        for key in keys:
            value = total.value(key)
            colour = brand.bad if key == "uncovered_gap" and value else brand.primary
            deck.text(slide, Box(x, y, width, tile_h), [
                Para(labels.get(key, key), 11, colour=brand.muted, max_lines=1),
                Para(_short(value, currency), 28 if tile_h > 70 else 20, True, colour, max_lines=1, space_before=6)],
                name=f"{currency} {key}", fill=brand.light)
            x += width + 8
        coverage = total.pipeline_coverage
        deck.text(slide, Box(x, y, width, tile_h), [
            Para(labels.get("pipeline_coverage", "Pipeline coverage"), 11, colour=brand.muted, max_lines=1),
            Para(fmt.times(coverage), 28 if tile_h > 70 else 20, True, brand.primary, max_lines=1, space_before=6)],
            name=f"{currency} pipeline_coverage", fill=brand.light)
        y += tile_h + 10
    if len(portfolio.totals) > len(rows):
        others = ", ".join(list(portfolio.totals)[len(rows):])
        deck.text(slide, Box(MARGIN, y, CONTENT_W, 22), [Para(
            words["more_currencies"].format(currencies=others), 11, colour=brand.muted, max_lines=1)],
            name="More currencies")
        y += 24
    if not plans:
        deck.text(slide, Box(MARGIN, y, CONTENT_W, 40), [Para(words["no_plans"], 18, True, brand.bad)],
                  name="No plans")
        y += 44
    y = _largest_gaps(deck, slide, portfolio, y + 8, BODY_BOTTOM - 144, words)
    y = max(y + 12, BODY_BOTTOM - 140)
    health = _health_tiles(portfolio, counts, words)
    deck.text(slide, Box(MARGIN, y, CONTENT_W, 26), [Para(words["health_heading"], 16, True, brand.primary,
                                                          max_lines=1)], name="Health heading")
    y += 30
    width = (CONTENT_W - 8 * (len(health) - 1)) / len(health)
    for i, (head, n, sub) in enumerate(health):
        deck.text(slide, Box(MARGIN + i * (width + 8), y, width, min(100.0, BODY_BOTTOM - y)), [
            Para(head, 16, True, brand.bad if n else brand.good, max_lines=2),
            Para(sub, 12, colour=brand.muted, max_lines=2, space_before=6)], name=f"Health {i + 1}",
            fill=brand.light)


def _health_tiles(portfolio: Portfolio, counts: dict[str, int], words: dict[str, str]) -> list[tuple]:
    """The cover's health tiles: (headline, how many, the line under it), in the kit's words."""
    plans, errors = portfolio.plans, portfolio.plans_with_errors
    overdue_owners = len({a.owner for a in portfolio.actions if a.overdue})
    no_dm = sum(1 for p in plans if not p.decision_maker)
    refused = len(portfolio.refused)
    overdue_detail = (words["health_overdue_detail"].format(open=counts["open"],
                                                            owners=_count(words, "owners", overdue_owners))
                      if counts["overdue"] else words["health_overdue_detail_none"].format(open=counts["open"]))
    return [
        (words["health_errors"].format(plans=_count(words, "plans", errors)), errors,
         words["health_errors_detail"].format(errors=_count(words, "errors", portfolio.errors),
                                              warnings=_count(words, "warnings", portfolio.warnings))),
        (words["health_overdue"].format(actions=_count(words, "overdue_actions", counts["overdue"])),
         counts["overdue"], overdue_detail),
        (words["health_blocked"].format(actions=_count(words, "blocked_actions", counts["blocked"])),
         counts["blocked"], words["health_blocked_detail"]),
        (words["health_no_decision_maker"].format(plans=_count(words, "plans", no_dm)), no_dm,
         words["health_no_decision_maker_detail"]),
        (words["health_not_read"].format(files=_count(words, "files", refused)), refused,
         words["health_not_read_detail" if refused else "health_not_read_detail_none"]),
    ]


def _largest_gaps(deck: DeckFile, slide, portfolio: Portfolio, y: float, bottom: float,
                  words: dict[str, str]) -> float:
    """Where the gap is: each currency's three largest uncovered gaps, one line each, while there is room."""
    brand = deck.brand
    lines = []
    for currency in portfolio.totals:
        short = sorted((p for p in portfolio.in_currency(currency) if p.figures.uncovered_gap),
                       key=lambda p: (-p.figures.uncovered_gap, p.name.casefold()))
        if short:
            named = [words["largest_gap"].format(account=p.name, gap=_short(p.figures.uncovered_gap, currency))
                     for p in short[:3]]
            if len(short) > 3:
                named.append(words["largest_gaps_more"].format(
                    accounts=_count(words, "more_accounts", len(short) - 3)))
            line = " · ".join(named)
            lines.append(words["largest_gaps_currency"].format(currency=currency, accounts=line)
                         if len(portfolio.totals) > 1 else line)
    if not lines or bottom - y < 60:
        return y
    paras = [Para(words["largest_gaps"], 16, True, brand.primary, max_lines=1)]
    paras += [Para(line, 12, max_lines=2, space_before=4) for line in lines]
    shape = deck.text(slide, Box(MARGIN, y, CONTENT_W, bottom - y), paras, name="Largest gaps", fit=True)
    return y + shape.height / 12700


# 1a. Moved since last review (`--since DIR`) ----------------------------------------------------------

def _signed(value: float | None, currency: str) -> str:
    """`+$650K`, `-$120K`; a move of nothing, or none to show, `—`."""
    if not value:
        return fmt.NONE
    return ("+" if value > 0 else "") + fmt.money_short(value, currency)


def _move_cell(deck: DeckFile, value: float | None, currency: str, worse: bool) -> Cell:
    """A move in the colour of what it means: `worse` (a gap that grew, less secured) in the bad colour."""
    return _tone(deck, worse, _signed(value, currency))


def moved_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    """The accounts that moved since their earlier version (`portfolio.moved`: the largest move of the
    uncovered gap first), each with its diff's summary; then, in a line each, the accounts unchanged, new
    since the last review, and the earlier versions that could not be used."""
    words, labels, brand = kit.wording.diff, kit.wording.figures, deck.brand
    plans = moved(portfolio)
    if plans:
        title = words["moved_title_one" if len(plans) == 1 else "moved_title"].format(
            count=len(plans), account=plans[0].name, move=_largest_move(plans[0], words))
    else:
        title = words["moved_title_none"]
    slide = deck.slide(title, words["moved_notes"].format(folder=portfolio.since.folder), words["moved_topic"])
    lines = _since_notes(portfolio, words, kit.wording.portfolio)
    bottom = BODY_BOTTOM - 24 * len(lines)
    if plans:
        cols = [Col(kit.wording.portfolio["header_account"], 210),
                Col(labels.get("uncovered_gap", "Uncovered gap"), 110, "right"),
                Col(labels.get("secured", "Secured"), 100, "right"), Col(words["header_moved"], CONTENT_W - 420)]
        rows = []
        for p in plans:
            gap, secured = p.since.change("uncovered_gap"), p.since.change("secured")
            rows.append([p.name, _move_cell(deck, gap, p.currency, (gap or 0.0) > 0),
                         _move_cell(deck, secured, p.currency, (secured or 0.0) < 0), p.since.diff.summary])
        _table(deck, slide, MARGIN, BODY_TOP + 4, cols, rows, bottom - BODY_TOP - 4,
               lambda k: words["moved_more"].format(count=k), "Moved accounts", 2, DENSE)
    else:
        deck.text(slide, Box(MARGIN, BODY_TOP + 10, CONTENT_W, 40), [Para(
            words["moved_title_none"] + ".", 16, colour=brand.muted)], name="None moved")
    y = bottom
    for n, text in enumerate(lines):
        deck.text(slide, Box(MARGIN, y, CONTENT_W, 24), [Para(text, 12, colour=brand.muted, max_lines=1)],
                  name=f"Since note {n + 1}")
        y += 24


def _largest_move(p: PlanEntry, words: dict[str, str]) -> str:
    """The move the ranking went by, short: the uncovered gap's (`uncovered gap -$310K`), else what is
    secured, else the diff summary's first part."""
    diff = p.since.diff
    figures = {c.key: c for c in diff.figures}
    for c in (figures[key] for key in ("uncovered_gap", "secured") if key in figures):
        if p.since.change(c.key):
            label = c.label[:1].lower() + c.label[1:] if c.label[1:2].islower() else c.label
            return words["moved_figure"].format(label=label, change=_signed(p.since.change(c.key), p.currency))
    top = (diff.summary_parts or (diff.summary,))[0]
    return top[:1].lower() + top[1:] if top[1:2].islower() else top


def _since_notes(portfolio: Portfolio, words: dict[str, str], own: dict[str, str]) -> list[str]:
    """The lines under the ranking: accounts unchanged, new since the last review (or with no name to match
    by), and earlier versions not usable (files of DIR, or a plan's own earlier version)."""
    lines = []
    for key, statuses in (("moved_unchanged", (UNCHANGED,)), ("moved_new", (NEW, UNNAMED))):
        names = [p.name for p in with_status(portfolio, *statuses)]
        if names:
            lines.append(words[key].format(names=_names(names, 8, own)))
    unusable = [Path(r.file).name for r in portfolio.since.refused]
    unusable += [f"{Path(p.since.earlier).name} ({p.name})" for p in with_status(portfolio, UNUSABLE)]
    if unusable:
        lines.append(words["moved_not_usable"].format(names=_names(unusable, 6, own)))
    return lines


# 2. Path to the number ----------------------------------------------------------------------------

CHART_W = 560.0


def path_steps(total: CurrencyTotal, kit: Kit) -> list[tuple[str, str, float, float]]:
    """(label, role, start, value) of each bar, over the plans with a target: secured, each open stage
    weighted, then what the accounts above their target have beyond it (a step down: it covers nobody else),
    then the uncovered gap up to the summed target, then that target from zero."""
    labels = kit.wording.figures
    steps = [(labels.get("secured", "Secured"), "secured", 0.0, total.path_secured)]
    at = total.path_secured
    for stage, value in total.path_by_stage.items():
        steps.append((labels.get("weighted_stage", "{stage} (weighted)").format(stage=stage), "open", at, value))
        at += value
    if total.surplus:
        at -= total.surplus
        above = _count(kit.wording.portfolio, "accounts", total.above_target)
        steps.append((kit.wording.portfolio["path_above_target"].format(accounts=above), "surplus", at,
                      total.surplus))
    steps.append((labels.get("uncovered_gap", "Uncovered gap"), "gap", at, total.uncovered_gap))
    steps.append((labels.get("annual_target", "Annual target"), "total", 0.0, total.annual_target))
    return steps


def path_slide(deck: DeckFile, portfolio: Portfolio, total: CurrencyTotal, kit: Kit) -> None:
    brand, currency, words = deck.brand, total.currency, kit.wording.portfolio
    several = len(portfolio.totals) > 1
    topic = words["path_topic_currency" if several else "path_topic"].format(currency=currency)
    target = _short(total.annual_target, currency)
    if not total.with_target:
        title = _no_target_title(words, currency, several)
    elif total.uncovered_gap:
        title = words["path_title_gap"].format(gap=_short(total.uncovered_gap, currency), target=target,
                                               accounts=_count(words, "accounts", total.with_target))
    else:
        title = words["path_title_covered"].format(currency=currency, target=target)
    slide = deck.slide(title, words["path_notes"].format(plans=_count(words, "plans", total.with_target)), topic)
    top = BODY_TOP + 4
    if total.with_target:
        _waterfall(deck, slide, path_steps(total, kit), currency, portfolio.as_of or dt.date.today(),
                   Box(MARGIN, top, CHART_W, BODY_BOTTOM - top))
    else:
        deck.text(slide, Box(MARGIN, top + 40, CHART_W, 80), [Para(
            words["path_no_target"], 16, colour=brand.muted, max_lines=3)], name="No target")
    x = MARGIN + CHART_W + GAP
    width = MARGIN + CONTENT_W - x
    labels = kit.wording.figures
    rows = [[words["path_row_plans"], str(total.plans)], [words["path_row_with_target"], str(total.with_target)]]
    for key in ("annual_target", "secured", "weighted_open", "gap_to_target", "uncovered_gap", "surplus",
                "whitespace_open"):
        value = total.value(key)
        if key == "surplus" and not value:
            continue
        bad = key == "uncovered_gap" and bool(value)
        rows.append([_tone(deck, bad, labels.get(key, key)), _tone(deck, bad, _money(value, currency))])
    rows.append([labels.get("pipeline_coverage", "Pipeline coverage"), fmt.times(total.pipeline_coverage)])
    cols = [Col(words["path_header_total"], width - 130), Col(currency, 130, "right")]
    size, pages = fit_table(cols, rows, 300, sizes=SIZES, max_lines=2)
    shape = deck.table(slide, x, top, cols, pages[0], size, name="Totals")
    below = top + shape.height / 12700 + 8
    untargeted = [p.name for p in portfolio.in_currency(currency) if p.figures.annual_target is None]
    note = words["path_note"]
    if untargeted:
        note += " " + words["path_note_untargeted"].format(names=_names(untargeted, 4, words))
    deck.text(slide, Box(x, below, width, BODY_BOTTOM - below), [Para(note, 11, colour=brand.muted, max_lines=7)],
              name="Note", fit=True)


def _names(names: list[str], count: int, words: dict[str, str]) -> str:
    """The first `count` names, then "and K more"."""
    shown = ", ".join(names[:count])
    return words["names_more"].format(names=shown, count=len(names) - count) if len(names) > count else shown


def _no_target_title(words: dict[str, str], currency: str, several: bool) -> str:
    return words["no_target_title_currency" if several else "no_target_title"].format(currency=currency)


def _waterfall(deck: DeckFile, slide, steps, currency: str, as_of: dt.date, box: Box) -> None:
    """Stacked columns on an invisible base, each bar its own series (editable), its value under its name."""
    brand = deck.brand
    data = DatedChartData(as_of, fmt.money_format(currency))
    data.categories = [f"{label}\n{'−' if role == 'surplus' else ''}{_short(value, currency)}"
                       for label, role, _, value in steps]        # what is above target comes off
    data.add_series("Base", [start or None for _, _, start, _ in steps])
    for i, (label, _, _, value) in enumerate(steps):
        data.add_series(label, [value if j == i else None for j in range(len(steps))])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, *box.emu, data).chart
    chart.has_legend = False
    chart.font.size, chart.font.name = Pt(10), brand.font
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 100
    colours = {"secured": brand.secured, "surplus": brand.good, "gap": brand.gap, "total": brand.muted}
    stages = iter((brand.forecast, brand.pipeline, brand.prospect))
    for i, series in enumerate(plot.series):
        if i == 0:
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        role = steps[i - 1][1]
        colour = next(stages, brand.prospect) if role == "open" else colours[role]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colour)
        series.format.line.color.rgb = rgb(colour)
    top = max((start + value for _, _, start, value in steps), default=0.0)
    axis = chart.value_axis
    axis.minimum_scale = 0
    if top > 0:
        axis.maximum_scale = _nice(top * 1.05)
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(brand.light)
    axis.tick_labels.number_format = fmt.money_format_short(currency, top or None, axis=True)
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(10)
    axis.format.line.fill.background()
    chart.category_axis.tick_labels.font.size = Pt(10)
    _no_autofit_rotation(chart)


def _no_autofit_rotation(chart) -> None:
    """Category names stay horizontal (wrapped) instead of turned on their side."""
    body = chart.category_axis._element.get_or_add_txPr().find(qn("a:bodyPr"))
    if body is not None:
        body.set("rot", "0")
        body.set("vert", "horz")


def _nice(value: float) -> float:
    import math

    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 10) if step * power >= value)


# 3. Position matrix --------------------------------------------------------------------------------

def matrix_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    brand, words = deck.brand, kit.wording.portfolio
    by_position: dict[str, list[PlanEntry]] = {}
    for p in portfolio.plans:
        by_position.setdefault(p.figures.position or NOT_PLACED, []).append(p)
    counts = [words["matrix_title_count"].format(count=len(by_position[name]), position=name)
              for name in ("Key", "Target", "Managed", "Maintained") if by_position.get(name)]
    if by_position.get(NOT_PLACED):
        counts.append(words["matrix_title_not_placed"].format(count=len(by_position[NOT_PLACED])))
    title = " · ".join(counts) if portfolio.plans else words["matrix_title_none"]
    slide = deck.slide(title, words["matrix_notes"], words["matrix_topic"])
    unplaced = by_position.get(NOT_PLACED, [])
    axis_w = 22.0
    x0, y0 = MARGIN + axis_w, BODY_TOP + 4
    height = BODY_BOTTOM - y0 - 24 - (30 if unplaced else 0)
    w, h = (CONTENT_W - axis_w) / 2, height / 2
    for name, caption, col, row in POSITIONS:
        accounts = sorted(by_position.get(name, []), key=lambda p: p.name.casefold())
        box = Box(x0 + col * w + 2, y0 + row * h + 2, w - 4, h - 4)
        names = _fit_names([p.name for p in accounts], box.w - 2 * INSET_X, 13, box.h - 60, words)
        deck.text(slide, box, [
            Para(words["matrix_quadrant"].format(position=name, count=len(accounts)), 18, True, brand.primary,
                 max_lines=1),
            Para(words[caption], 10, colour=brand.muted, max_lines=1),
            Para(names or words["matrix_no_account"], 13, colour=brand.text if names else brand.muted,
                 max_lines=20, space_before=8)],
            name=f"Quadrant {name}", fill=brand.light)
    _side_label(slide, Box(MARGIN - 4, y0, axis_w, height), words["matrix_potential"], brand)
    deck.text(slide, Box(x0, y0 + height, CONTENT_W - axis_w, 24), [
        Para(words["matrix_relationship"], 11, True, brand.muted, max_lines=1, align="center")],
        name="Relationship axis")
    if unplaced:
        deck.text(slide, Box(MARGIN, BODY_BOTTOM - 28, CONTENT_W, 28), [Para(
            words["matrix_not_placed"].format(names=_names(sorted(p.name for p in unplaced), 6, words)), 12, True,
            brand.bad, max_lines=1)], name="Not placed")


def _side_label(slide, box: Box, text: str, brand) -> None:
    """A short label written bottom to top up a narrow box (an axis name beside the matrix)."""
    shape = slide.shapes.add_textbox(*box.emu)
    shape.name = "Potential axis"
    frame = shape.text_frame
    frame.word_wrap = False
    frame._txBody.bodyPr.set("vert", "vert270")
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(11), True, brand.font
    run.font.color.rgb = rgb(brand.muted)


def _fit_names(names: list[str], width: float, size: float, height: float, words: dict[str, str]) -> str:
    """The names joined by " · ", as many as fit `height` at `size`, then "and K more"."""
    lines = max(1, int(height // (1.2 * size)))
    for count in range(len(names), 0, -1):
        more = [words["matrix_names_more"].format(count=len(names) - count)] if count < len(names) else []
        text = " · ".join(names[:count] + more)
        if len(wrap(text, width, size)) <= lines:
            return text
    return words["matrix_names_count"].format(count=len(names)) if names else ""


# 4. Accounts ranked by uncovered gap ---------------------------------------------------------------

def ranked_slide(deck: DeckFile, portfolio: Portfolio, currency: str, kit: Kit) -> None:
    brand, words, labels = deck.brand, kit.wording.portfolio, kit.wording.figures
    plans = portfolio.in_currency(currency)
    targeted = sorted((p for p in plans if p.figures.uncovered_gap is not None),
                      key=lambda p: (-p.figures.uncovered_gap, p.name.casefold()))
    several = len(portfolio.totals) > 1
    topic = words["ranked_topic_currency" if several else "ranked_topic"].format(currency=currency)
    short = [p for p in targeted if p.figures.uncovered_gap]
    if short:
        first = short[0]
        title = words["ranked_title" if len(short) > 1 else "ranked_title_one"].format(
            accounts=_count(words, "accounts", len(short)), account=first.name,
            gap=_short(first.figures.uncovered_gap, currency))
    elif targeted:
        title = words["ranked_title_covered"]
    else:
        title = _no_target_title(words, currency, several)
    slide = deck.slide(title, words["ranked_notes"], topic)
    cols = [Col(words["header_account"], 190), Col(words["header_owner"], 120),
            Col(labels.get("position", "Position"), 85), Col(words["ranked_header_target"], 105, "right"),
            Col(labels.get("secured", "Secured"), 105, "right"),
            Col(labels.get("weighted_open", "Weighted open"), 105, "right"),
            Col(labels.get("uncovered_gap", "Uncovered gap"), 105, "right"),
            Col(words["ranked_header_coverage"], CONTENT_W - 815, "right")]
    rows = []
    for p in targeted:
        f = p.figures
        rows.append([p.name, p.owner or fmt.NONE, f.position or fmt.NONE, _money(f.annual_target, currency),
                     _money(f.secured, currency), _money(f.weighted_open, currency),
                     _tone(deck, bool(f.uncovered_gap), _money(f.uncovered_gap, currency)), fmt.times(f.pipeline_coverage)])
    untargeted = [p.name for p in plans if p.figures.uncovered_gap is None]
    bottom = BODY_BOTTOM - (28 if untargeted else 0)
    if rows:
        def more(k: int) -> str:
            rest = targeted[len(targeted) - k:]
            gap = sum(p.figures.uncovered_gap for p in rest)
            return words["ranked_more"].format(accounts=_count(words, "more_accounts", k), gap=_short(gap, currency))
        _table(deck, slide, MARGIN, BODY_TOP + 4, cols, rows, bottom - BODY_TOP - 4, more, "Ranked accounts", 1,
               DENSE)
    if untargeted:
        deck.text(slide, Box(MARGIN, bottom, CONTENT_W, 26), [Para(
            words["ranked_no_target"].format(names=_names(sorted(untargeted), 6, words)), 12, colour=brand.muted,
            max_lines=1)],
            name="No target")


# 5. Plan health -----------------------------------------------------------------------------------

def health_order(p: PlanEntry) -> tuple:
    """Worst first: errors, then the least complete, then overdue actions, exposed stages, no decision maker."""
    f = p.figures
    return (-p.errors, f.completeness.overall, -f.actions.overdue, -len(f.exposed_stages), p.decision_maker,
            -p.warnings, p.name.casefold())


def health_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    words, labels = kit.wording.portfolio, kit.wording.figures
    plans = sorted(portfolio.plans, key=health_order)
    with_errors = portfolio.plans_with_errors
    no_dm = sum(1 for p in plans if not p.decision_maker)
    counted = _count(words, "plans", len(plans))
    parts = [words["health_title_errors"].format(count=with_errors, plans=counted) if with_errors
             else words["health_title_no_errors"].format(plans=counted)]
    if no_dm:
        parts.append(words["health_title_no_decision_maker"].format(count=no_dm))
    slide = deck.slide("; ".join(parts), words["health_notes"], words["health_topic"])
    cols = [Col(words["header_account"], 230), Col(labels.get("completeness", "Complete"), 90, "right"),
            Col(words["health_header_errors"], 70, "right"), Col(words["health_header_warnings"], 85, "right"),
            Col(words["health_header_overdue"], 95, "right"),
            Col(labels.get("exposed_stages", "Exposed stages"), 200),
            Col(words["health_header_decision_maker"], CONTENT_W - 770)]
    rows = []
    for p in plans:
        f = p.figures
        complete = f.completeness.overall
        rows.append([p.name, _tone(deck, complete < 0.8, fmt.share(complete)), _tone(deck, bool(p.errors), str(p.errors)),
                     str(p.warnings), _tone(deck, bool(f.actions.overdue), str(f.actions.overdue)),
                     _tone(deck, bool(f.exposed_stages), ", ".join(f.exposed_stages) or fmt.NONE),
                     _tone(deck, not p.decision_maker,
                           words["health_named" if p.decision_maker else "health_none_named"])])
    if not rows:
        deck.text(slide, Box(MARGIN, BODY_TOP + 10, CONTENT_W, 40), [Para(words["no_plans"], 16)], name="None")
        return

    def more(k: int) -> str:
        rest = plans[len(plans) - k:]
        clean = sum(1 for p in rest if not p.errors and not p.figures.actions.overdue)
        return words["health_more"].format(plans=_count(words, "more_plans", k), clean=clean)
    _table(deck, slide, MARGIN, BODY_TOP + 4, cols, rows, BODY_BOTTOM - BODY_TOP - 4, more, "Plan health", 1, DENSE)


# 6. Overdue actions ---------------------------------------------------------------------------------

def overdue_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    brand, words = deck.brand, kit.wording.portfolio
    no_owner = words["no_owner"]
    overdue = [a for a in portfolio.actions if a.overdue]
    by_owner: dict[str, list] = {}
    for a in overdue:
        by_owner.setdefault(a.owner or no_owner, []).append(a)
    owners = sorted(by_owner.items(), key=lambda kv: (-len(kv[1]), min(a.due for a in kv[1]), kv[0].casefold()))
    if overdue:
        owner, actions = owners[0]
        counted = _count(words, "overdue_actions", len(overdue))
        title = words["overdue_title" if len(owners) > 1 else "overdue_title_one_owner"].format(
            actions=counted, owner=owner, count=len(actions))
    else:
        title = words["overdue_title_none"].format(plans=_count(words, "plans", len(portfolio.plans)))
    slide = deck.slide(title, words["overdue_notes"], words["overdue_topic"])
    if not overdue:
        deck.text(slide, Box(MARGIN, BODY_TOP + 10, CONTENT_W, 40), [Para(
            words["overdue_none"].format(open=portfolio.action_counts()["open"]), 16, colour=brand.muted)],
            name="None overdue")
        return
    left = 330.0
    cols = [Col(words["header_owner"], 150), Col(words["overdue_header_overdue"], 80, "right"),
            Col(words["overdue_header_oldest"], left - 230)]
    rows = [[name, str(len(actions)), fmt.date(min(a.due for a in actions))] for name, actions in owners]
    height = BODY_BOTTOM - BODY_TOP - 4
    _table(deck, slide, MARGIN, BODY_TOP + 4, cols, rows, height, _more_rows(words, "more_owners"), "By owner", 1,
           DENSE)
    x = MARGIN + left + GAP
    oldest = sorted(overdue, key=lambda a: (a.due, a.account.casefold()))
    cols = [Col(words["overdue_header_due"], 84), Col(words["header_account"], 140),
            Col(words["overdue_header_action"], MARGIN + CONTENT_W - x - 344), Col(words["header_owner"], 120)]
    rows = [[_tone(deck, True, fmt.date(a.due)), a.account or Path(a.file).name, a.action or fmt.NONE,
             a.owner or no_owner] for a in oldest]
    _table(deck, slide, x, BODY_TOP + 4, cols, rows, height, _more_rows(words, "more_overdue_actions"),
           "Oldest overdue", 2, DENSE)


# 7. Files not read --------------------------------------------------------------------------------

def refused_slide(deck: DeckFile, portfolio: Portfolio, kit: Kit) -> None:
    words, refused = kit.wording.portfolio, portfolio.refused
    slide = deck.slide(words["refused_title"].format(files=_count(words, "files", len(refused))),
                       words["refused_notes"], words["refused_topic"])
    cols = [Col(words["refused_header_file"], 300), Col(words["refused_header_why"], CONTENT_W - 300)]
    rows = [[r.file, f"{r.refusal.message}" + (f"; {r.refusal.hint}" if r.refusal.hint else "")] for r in refused]
    _table(deck, slide, MARGIN, BODY_TOP + 4, cols, rows, BODY_BOTTOM - BODY_TOP - 4,
           _more_rows(words, "more_files"), "Files not read", 2)
