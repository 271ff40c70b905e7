"""The milestones of a run, read from its event log alone (issue 2, "Headless use").

Because it reads only the log, the same summary works for a headless run, a batch run's
sample and a live session's journal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..kinds import NIS2_REPORTS
from ..scenario.units import format_clock
from .records import Event


@dataclass(frozen=True)
class Milestone:
    t: float | None  # None: it did not happen
    what: str
    detail: str = ""


def _first(events: Sequence[Event], kind: str, **payload: object) -> Event | None:
    for event in events:
        if event.kind == kind and all(event.payload.get(k) == v for k, v in payload.items()):
            return event
    return None


def milestones(events: Sequence[Event]) -> list[Milestone]:
    """The story of a run in the order a crisis climbs, each with its time (or not reached)."""
    rows: list[Milestone] = []

    def once(kind: str, what: str, detail: str = "", **payload: object) -> None:
        event = _first(events, kind, **payload)
        if event is None:
            rows.append(Milestone(None, what, "not reached"))
        else:
            where = f" in {event.member_state}" if event.member_state else ""
            rows.append(Milestone(event.t, what, ((detail or "") + where).strip()))

    once("entity.compromised", "first compromise")
    once("entity.detected", "first detection")
    once("entity.early_warning", "first early warning")
    once("entity.notification", "first notification")
    once("spoc.cross_border", "cross-border information (SPoC)")
    for event in events:
        if event.kind == "csirts_network.alert":
            rows.append(Milestone(event.t, "CSIRTs network alert", str(event.payload["mode"])))
    once("csirts_network.indicators_shared", "indicators shared (CSIRTs network)")
    once("csirts_network.joint_statement", "CSIRTs network joint statement")
    for tier in ("significant", "large_scale", "cyber_crisis"):
        once("classification.tier", f"tier {tier} reached", tier=tier)
    for event in events:
        if event.kind == "classification.tier" and event.payload["tier"] == "below_threshold":
            rows.append(Milestone(event.t, "tier back below the threshold",
                                  f"from {event.payload['previous']}"))
    once("cyclone.activated", "EU-CyCLONe activated")
    once("cyclone.assessment", "first EU-CyCLONe assessment")
    for event in events:
        if event.kind == "ipcr.mode":
            via = " (Art 222)" if event.payload.get("via") == "art_222" else ""
            rows.append(Milestone(event.t, "IPCR mode", f"{event.payload['mode']}{via}"))
        elif event.kind == "intcen.assessment":
            rows.append(
                Milestone(
                    event.t,
                    "EU INTCEN assessment",
                    f"confidence {event.payload['confidence']:.2f}, grade "
                    f"{event.payload['attribution_grade']}",
                )
            )
        elif event.kind in ("partner.attribution", "partner.sanctions"):
            what = "attribution" if event.kind.endswith("attribution") else "sanctions"
            rows.append(Milestone(event.t, f"partner {what}", str(event.payload.get("partner"))))
        elif event.kind == "presidency.handover":
            rows.append(Milestone(event.t, "Presidency handed over",
                                  f"{event.payload['outgoing']} to {event.payload['incoming']}"))
        elif event.kind == "external.vendor_attribution":
            rows.append(Milestone(event.t, "vendor attribution", str(event.payload["vendor"])))
        elif event.kind == "external.not_an_attack":
            rows.append(Milestone(event.t, "said not to be an attack", str(event.payload["by"])))
        elif event.kind in ("measure.adopted", "measure.blocked"):
            outcome = event.kind.split(".")[1]
            reason = f": {event.payload['reason']}" if outcome == "blocked" else ""
            rows.append(Milestone(event.t, f"measure {outcome}", f"{event.subject}{reason}"))
        elif event.kind in ("treaty.art222_invoked", "treaty.art42_7_invoked"):
            clause = "Art 222 TFEU" if "222" in event.kind else "Art 42(7) TEU"
            rows.append(Milestone(event.t, f"{clause} invoked", str(event.member_state)))
        elif event.kind in ("reserve.deployed", "reserve.refused"):
            outcome = event.kind.split(".")[1]
            reason = f": {event.payload['reason']}" if outcome == "refused" else ""
            rows.append(Milestone(event.t, f"Reserve {outcome}", f"{event.member_state}{reason}"))
        elif event.kind == "treaty.art42_7_support":
            rows.append(Milestone(event.t, "Art 42(7) support pledged", str(event.member_state)))
        elif event.kind in ("adversary.deterred", "adversary.escalated"):
            rows.append(Milestone(event.t, event.kind.replace(".", " "), ""))
        elif event.kind == "run.failed":
            rows.append(Milestone(event.t, "RUN FAILED", str(event.payload["error"])))
    peak = max(
        # a Member State's: the Union entities' impact is no Member State's
        (e for e in events if e.kind == "adversary.impact" and e.member_state),
        key=lambda e: float(e.payload["level"]),
        default=None,
    )
    if peak is not None:
        rows.append(
            Milestone(peak.t, "peak impact", f"{float(peak.payload['level']):.0%} in "
                      f"{peak.member_state}")
        )
    rows.sort(key=lambda m: (m.t is None, m.t or 0.0))
    return rows


#: the NIS2 reports, each with its deadline (early warning, notification, final report)
REPORT_KINDS = tuple(f"entity.{report}" for report in NIS2_REPORTS)


def totals(events: Sequence[Event]) -> list[tuple[str, str]]:
    """Counts that sum a run up: who was hit, how reporting went, what the EU did."""
    kinds = Counter(e.kind for e in events)
    affected = sorted({e.member_state for e in events if e.kind == "entity.compromised"
                       if e.member_state})
    # the Union entities report to CERT-EU under Regulation (EU) 2023/2841, not under NIS2
    reports = [e for e in events if e.kind in REPORT_KINDS and e.member_state]
    # a notification without a deadline (NIS1's "without undue delay", or a voluntary one
    # before it: docs/machinery.md section 12) is neither on time nor late
    undue = [e for e in reports if e.payload.get("on_time") is None]
    reports = [e for e in reports if e.payload.get("on_time") is not None]
    union = [e for e in events if e.kind in REPORT_KINDS and not e.member_state]
    missed = sum(1 for e in events if e.kind == "entity.deadline_missed" and e.member_state)
    on_time = sum(1 for e in reports if e.payload.get("on_time"))
    decisions = [f"{e.subject}={e.payload['option']}" for e in events if e.kind == "decision.made"]
    extra = [("notifications without a deadline",
              ", ".join(f"{n} {basis}" for basis, n in sorted(
                  Counter(str(e.payload.get("basis")) for e in undue).items())))
             ] if undue else []
    extra += [("Union entities' reports to CERT-EU on time",
              f"{sum(1 for e in union if e.payload.get('on_time'))} of {len(union)} sent")
             ] if union else []
    return [
        ("Member States affected", f"{len(affected)}: {' '.join(affected)}" if affected else "0"),
        ("entities compromised", str(kinds["entity.compromised"])),
        ("NIS2 reports on time", f"{on_time} of {len(reports)} sent; "
                                 f"{missed} deadlines missed"),
        *extra,
        ("measures", f"{kinds['measure.adopted']} adopted, {kinds['measure.blocked']} blocked, "
                     f"{kinds['member_state.veto']} vetoes"),
        ("Reserve requests", f"{kinds['reserve.requested']}: {kinds['reserve.deployed']} "
                             f"deployed, {kinds['reserve.refused']} refused, "
                             f"{kinds['reserve.queued_at_end']} still queued at the end"),
        ("injects", f"{kinds['inject.delivered']} delivered, {kinds['inject.skipped']} skipped"),
        ("decisions", ", ".join(decisions) or "none"),
        ("events", str(len(events))),
    ]


def clock(t: float | None, start: datetime) -> str:
    return "—" if t is None else format_clock(t, start)
