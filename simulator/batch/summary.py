"""The summary of a batch, from its rows alone (so ``ttx batch summary FILE`` prints the same
as the batch did): milestone percentiles, the probability of each peak tier, of each measure
adopted and of a veto, the options taken at each decision point, the ratings per objective."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .rows import MILESTONES, TIERS

PERCENTILES = (5, 50, 95)
RATING_ORDER = ("P", "S", "M", "U", "")


def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between the closest ranks (NumPy's default; p 50 is the median)."""
    ordered = sorted(values)
    rank = p / 100 * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return round(value, 4)


def summarise(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The summary as plain data (what ``--json`` prints); times in minutes from the start."""
    rows = sorted(rows, key=lambda r: r["run_id"])
    n = len(rows)
    cols = list(rows[0]) if rows else []
    share = (lambda k: round(k / n, 4)) if n else (lambda k: 0.0)
    failed = sum(1 for r in rows if r["status"] != "completed")
    out: dict[str, Any] = {"runs": n, "completed": n - failed, "failed": failed}
    stones: dict[str, Any] = {}
    for name, _, _ in MILESTONES:
        if name not in cols:
            continue
        values = [r[name] for r in rows if r[name] is not None]
        stones[name] = {"reached": share(len(values)),
                        **{f"p{p}": percentile(values, p) if values else None
                           for p in PERCENTILES}}
    out["milestones_minutes"] = stones
    tiers = Counter(r["peak_tier"] for r in rows if r.get("peak_tier"))
    out["peak_tier"] = {t: share(tiers[t]) for t in TIERS}
    out["measure_adopted"] = {c.removeprefix("adopted."): share(sum(1 for r in rows if r[c]))
                              for c in cols if c.startswith("adopted.")}
    out["veto"] = share(sum(1 for r in rows if r.get("vetoes")))
    out["decisions"] = {
        c.removeprefix("decision."): {option or "(none)": share(k) for option, k in
                                      sorted(Counter(r[c] for r in rows).items())}
        for c in cols if c.startswith("decision.")
    }
    ratings: dict[str, Any] = {}
    for c in cols:
        if c.startswith("rating."):
            counted = Counter(r[c] for r in rows)
            ratings[c.removeprefix("rating.")] = {
                (rating or "unrated"): share(counted[rating]) for rating in RATING_ORDER
            }
    out["ratings"] = ratings
    return out


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    days, rest = divmod(round(value), 24 * 60)
    return f"D+{days} {rest // 60:02d}:{rest % 60:02d}"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def print_summary(summary: dict[str, Any], console: Any) -> None:
    """The summary as tables (times as D+d hh:mm from the start)."""
    from rich.table import Table

    from ..console import plain

    failed = f", {summary['failed']} failed" if summary["failed"] else ""
    console.print(plain(f"{summary['runs']} runs: {summary['completed']} completed{failed}"))
    table = Table(box=None, pad_edge=False, header_style="bold", title_justify="left",
                  title="milestones (percentiles over the runs that reached them)")
    for name in ("milestone", "reached", "p5", "p50", "p95"):
        table.add_column(name, no_wrap=True, justify="left" if name == "milestone" else "right")
    for name, figures in summary["milestones_minutes"].items():
        table.add_row(name.removeprefix("t_").replace("_", " "), _pct(figures["reached"]),
                      *(_minutes(figures[f"p{p}"]) for p in PERCENTILES))
    console.print(table)
    console.print(plain("peak tier: " + ", ".join(
        f"{tier} {_pct(p)}" for tier, p in summary["peak_tier"].items())))
    adopted = [f"{m} {_pct(p)}" for m, p in summary["measure_adopted"].items() if p]
    console.print(plain("measure adopted: " + (", ".join(adopted) or "none in any run")))
    console.print(plain(f"a veto: {_pct(summary['veto'])}"))
    for point, options in summary["decisions"].items():
        console.print(plain(f"decision {point}: " + ", ".join(
            f"{o} {_pct(p)}" for o, p in options.items())))
    table = Table(box=None, pad_edge=False, header_style="bold", title_justify="left",
                  title="ratings per objective")
    table.add_column("objective", no_wrap=True)
    for rating in RATING_ORDER:
        table.add_column(rating or "unrated", justify="right", no_wrap=True)
    for objective, shares in summary["ratings"].items():
        table.add_row(plain(objective), *(_pct(p) for p in shares.values()))
    console.print(table)
