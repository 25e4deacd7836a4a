# SPDX-License-Identifier: Apache-2.0
"""The deinstitutionalization charts of :class:`cpw.Indicators`: its series as a pandas
DataFrame (:meth:`Indicators.to_frame`) and the four charts of `cpw report --format svg` drawn
with matplotlib (:meth:`Indicators.plot`).

The series are the indicators of each month of the period (of each year when it is longer than
36 months), each computed by the library (``cpw_registry_indicators``), as the cpw tool's
charts are. pandas and matplotlib are imported only when these are called. Every word drawn
comes from ``TEXT`` (English), the same words as the C tool's table (examples/cpw/chart_text.c).
"""
from __future__ import annotations

import calendar
import datetime as _dt
import textwrap
from typing import TYPE_CHECKING, Any, Dict, List, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .placement import Indicators

__all__ = ["TEXT", "parts", "to_frame", "plot"]

MAX_MONTHS = 36

TEXT: Dict[str, str] = {
    "period": "Period", "to": "to", "region": "Region", "all_regions": "all regions",
    "definition": "Definition", "source": "Source",
    "source_text": "libcpw indicators (cpw_registry_indicators)", "policy": "Policy",
    "hash": "hash",
    "month_end": "end of month", "year_end": "end of year",
    "children": "children", "percent": "% of children in care", "placements": "placements",
    "days": "days",
    "in_care_title": "Children in alternative care, by type of care",
    "in_care_def": "children whose placement had started by the last day of the month (or "
                   "year) and had not ended, by the category the policy gives their setting.",
    "family": "family-based", "family_type": "family-type", "residential": "residential",
    "share_title": "Share of the children in care who are in family-based care",
    "share_def": "children in family-based care on the last day of the month (or year), "
                 "divided by all children in alternative care that day; no point where no "
                 "child was in care.",
    "share_legend": "family-based share",
    "flows_title": "Placements started and ended, by setting and reason",
    "flows_def": "entries are placements that started in the period, by the setting entered; "
                 "exits are placements that ended in it, by the setting left and the reason "
                 "recorded. A move to another setting ends one placement (reason: moved) and "
                 "starts another.",
    "entries": "entries", "exits_by_reason": "exits, by reason:",
    "reunified": "reunified", "kinship": "to kinship care", "fostered": "fostered",
    "adopted": "adopted", "moved": "moved", "aged_out": "aged out", "died": "died",
    "other": "other",
    "stay_title": "Length of stay of the placements that ended",
    "stay_def": "the median, over the placements that ended in the month (or year), of the "
                "days from the placement's start to its end; no bar where none ended. The "
                "dashed line is the median over the whole period.",
    "stay_legend": "median length of stay", "stay_whole": "whole period",
}

# Okabe-Ito colours with a hatch each: safe for colour-blind readers and black-and-white print
CATEGORY_STYLE = {"family": ("#009E73", ""), "family_type": ("#56B4E9", "///"),
                  "residential": ("#D55E00", "xxx")}
REASON_STYLE = {"reunified": ("#009E73", ""), "kinship": ("#56B4E9", "///"),
                "fostered": ("#0072B2", "---"), "adopted": ("#CC79A7", ".."),
                "moved": ("#E69F00", "\\\\\\"), "aged_out": ("#F0E442", "xxx"),
                "died": ("#000000", ""), "other": ("#999999", "|||")}
BLUE = "#0072B2"


def _month_end(y: int, m: int) -> _dt.date:
    return _dt.date(y, m, calendar.monthrange(y, m)[1])


def parts(start: _dt.date, end: _dt.date) -> Tuple[List[Tuple[_dt.date, _dt.date]], bool]:
    """The sub-periods of [start, end]: up to each month end before `end`, then `end`; by
    year when that makes more than 36. Returns (periods, yearly)."""
    def ends(yearly: bool) -> List[_dt.date]:
        out = []
        y, m = start.year, 12 if yearly else start.month
        while True:
            e = _month_end(y, m)
            if e >= end:
                break
            out.append(e)
            if yearly or m == 12:
                y, m = y + 1, 12 if yearly else 1
            else:
                m += 1
        return out + [end]
    yearly = len(ends(False)) > MAX_MONTHS
    out, a = [], start
    for z in ends(yearly):
        out.append((a, z))
        a = z + _dt.timedelta(days=1)
    return out, yearly


def _columns():
    """The headline figures of Indicators.summary, in its order."""
    from .placement import _SUMMARY
    return _SUMMARY


def series(ind: "Indicators") -> List["Indicators"]:
    """The indicators of each sub-period (from the registry, now)."""
    return [ind.registry.indicators(a, z, ind.region) for a, z in parts(ind.start, ind.end)[0]]


def to_frame(ind: "Indicators"):
    import pandas as pd
    rows = series(ind)
    frame = pd.DataFrame({c: [getattr(r, c) for r in rows] for c in _columns()},
                         index=pd.DatetimeIndex([pd.Timestamp(r.end) for r in rows],
                                                name="period_end"))
    frame.insert(0, "period_start", pd.to_datetime([pd.Timestamp(r.start) for r in rows]))
    return frame


def _subtitle(ind: "Indicators") -> str:
    return "%s: %s %s %s   \u00b7   %s: %s" % (
        TEXT["period"], ind.start, TEXT["to"], ind.end, TEXT["region"],
        ind.region or TEXT["all_regions"])


def _caption(ax, ind: "Indicators", definition: str, extra: str = "") -> None:
    pol = ind.registry.policy
    text = "%s: %s%s %s: %s. %s: %s %s, %s %s." % (
        TEXT["definition"], TEXT[definition], " " + extra if extra else "", TEXT["source"],
        TEXT["source_text"], TEXT["policy"], pol.name, pol.version, TEXT["hash"], pol.hash[:12])
    ax.annotate(textwrap.fill(text, 110), xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -48), textcoords="offset points", va="top", ha="left",
                fontsize=7.5)


def _label(d: _dt.date, yearly: bool, first: bool) -> str:
    if yearly:
        return str(d.year)
    name = d.strftime("%b") if d == _month_end(d.year, d.month) else d.strftime("%d %b")
    return name + ("\n%d" % d.year if first or d.month == 1 else "")


def plot(ind: "Indicators", figure=None):
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    periods, yearly = parts(ind.start, ind.end)
    rows = series(ind)
    fig = figure if figure is not None else Figure(figsize=(8.27, 16.5))
    ax_care, ax_share, ax_flows, ax_stay = fig.subplots(4, 1)
    fig.subplots_adjust(left=0.2, right=0.97, top=0.965, bottom=0.07, hspace=0.85)
    x = list(range(len(rows)))
    labels = [_label(z, yearly, k == 0) for k, (a, z) in enumerate(periods)]
    xlabel = TEXT["year_end" if yearly else "month_end"]

    # children in care at each period end, stacked: residential, family-type, family-based
    base = [0] * len(rows)
    for cat in ("residential", "family_type", "family"):
        colour, hatch = CATEGORY_STYLE[cat]
        values = [getattr(r, cat + "_at_end") for r in rows]
        ax_care.bar(x, values, bottom=base, color=colour, hatch=hatch, edgecolor="black",
                    linewidth=0.5, label=TEXT[cat], gid="in_care:" + cat)
        base = [b + v for b, v in zip(base, values)]
    for k, total in enumerate(base):
        ax_care.annotate(str(total), (k, total), xytext=(0, 2), textcoords="offset points",
                         ha="center", fontsize=7.5, fontweight="bold")
    handles, names = ax_care.get_legend_handles_labels()
    ax_care.legend(handles[::-1], names[::-1], ncols=3, loc="upper left", fontsize=8)
    ax_care.set_ylabel(TEXT["children"])
    members = "; ".join("%s: %s" % (TEXT[c], ", ".join(s.id.replace("_", " ")
                                                       for s in ind.registry.policy.settings
                                                       if s.category == c))
                        for c in ("family", "family_type", "residential"))
    _caption(ax_care, ind, "in_care_def", members + ".")
    ax_care.set_title("%s\n%s" % (TEXT["in_care_title"], _subtitle(ind)), loc="left",
                      fontsize=10)

    # the family-based share (no point where no child was in care)
    share = [r.family_share * 100 if r.placed_at_end else float("nan") for r in rows]
    ax_share.plot(x, share, color=BLUE, marker="o", linewidth=2, label=TEXT["share_legend"],
                  gid="share")
    ax_share.set_ylim(0, 100)
    ax_share.set_ylabel(TEXT["percent"])
    ax_share.legend(loc="upper left", fontsize=8)
    _caption(ax_share, ind, "share_def")
    ax_share.set_title("%s\n%s" % (TEXT["share_title"], _subtitle(ind)), loc="left",
                       fontsize=10)

    # entries and exits of the whole period, by setting; exits stacked by reason
    settings = [s.id for s in ind.registry.policy.settings]
    entries, exits = ind.entries_by_setting, ind.exits_by_setting
    active = [s for s in settings if entries[s] or any(exits[s].values())][::-1]
    y = list(range(len(active)))
    ax_flows.barh([k + 0.2 for k in y], [entries[s] for s in active], height=0.35,
                  color="white", edgecolor="black", label=TEXT["entries"], gid="entries")
    left = [0] * len(active)
    handles = [Patch(facecolor="white", edgecolor="black", label=TEXT["entries"]),
               Patch(visible=False, label=TEXT["exits_by_reason"])]
    for reason, (colour, hatch) in REASON_STYLE.items():
        values = [exits[s][reason] for s in active]
        if not any(values):
            continue
        ax_flows.barh([k - 0.2 for k in y], values, left=left, height=0.35, color=colour,
                      hatch=hatch, edgecolor="black", linewidth=0.5, label=TEXT[reason],
                      gid="exits:" + reason)
        handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="black",
                             label=TEXT[reason]))
        left = [a + v for a, v in zip(left, values)]
    ax_flows.set_yticks(y, [s.replace("_", " ") for s in active])
    ax_flows.set_xlabel(TEXT["placements"])
    ax_flows.set_xlim(0, max([1] + [entries[s] for s in active] + left) * 1.8)
    ax_flows.legend(handles=handles, ncols=2, loc="upper right", fontsize=8)
    _caption(ax_flows, ind, "flows_def")
    ax_flows.set_title("%s\n%s" % (TEXT["flows_title"], _subtitle(ind)), loc="left",
                       fontsize=10)

    # the median stay of the placements that ended, and of the whole period
    stay = [r.median_stay_days if r.exits else 0 for r in rows]
    ax_stay.bar(x, stay, color=BLUE, edgecolor="black", linewidth=0.5,
                label=TEXT["stay_legend"], gid="stay")
    if ind.exits:
        ax_stay.axhline(ind.median_stay_days, color="black", linestyle="--", linewidth=1.2,
                        label="%s: %.0f %s" % (TEXT["stay_whole"], ind.median_stay_days,
                                               TEXT["days"]))
    ax_stay.set_ylabel(TEXT["days"])
    ax_stay.legend(loc="upper left", fontsize=8, ncols=2)
    _caption(ax_stay, ind, "stay_def")
    ax_stay.set_title("%s\n%s" % (TEXT["stay_title"], _subtitle(ind)), loc="left",
                      fontsize=10)

    for ax in (ax_care, ax_share, ax_stay):
        ax.set_xticks(x, labels, fontsize=8)
        ax.set_xlabel(xlabel)
    for ax in (ax_care, ax_share, ax_flows, ax_stay):
        ax.grid(axis="x" if ax is ax_flows else "y", color="#bbbbbb", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
    return fig
