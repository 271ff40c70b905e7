"""Hypothesis strategies for valid scenarios: every reference they make points somewhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from simulator.kinds import EVENT_KINDS
from simulator.scenario.presidencies import rotations
from simulator.scenario.reference import (
    EU_BODIES,
    IPCR_MODES,
    MEMBER_STATES,
    NATIONAL_BODIES,
    SECTORS,
    TIERS,
)
from simulator.text import UNSAFE

CODES = sorted(MEMBER_STATES)
KINDS = sorted(EVENT_KINDS)
ids = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True)
#: free text as people write it: anything but the control and invisible characters that
#: scenario text refuses (``simulator.text.UNSAFE``)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")).filter(
        lambda c: not UNSAFE.match(c)
    ),
    min_size=1,
    max_size=24,
)
prob = st.floats(0, 1, allow_nan=False)
participants = st.sampled_from(sorted(EU_BODIES)) | st.builds(
    lambda ms, body: f"{ms}.{body}",
    st.sampled_from(CODES),
    st.sampled_from(sorted(NATIONAL_BODIES)),
)


def minutes(high: int) -> st.SearchStrategy[str]:
    return st.integers(0, high).map(lambda m: f"{m}m")


@st.composite
def distributions(draw: st.DrawFn) -> Any:
    a, b, c = sorted(draw(st.lists(st.integers(1, 100_000), min_size=3, max_size=3)))
    kind = draw(
        st.sampled_from(
            ["short", "fixed", "uniform", "triangular", "lognormal", "exponential", "empirical"]
        )
    )
    if kind == "short":
        return f"{a}m"
    if kind == "fixed":
        return {"kind": "fixed", "value": f"{a}m"}
    if kind == "uniform":
        return {"kind": "uniform", "low": f"{a}m", "high": f"{c}m"}
    if kind == "triangular":
        return {"kind": "triangular", "low": f"{a}m", "mode": f"{b}m", "high": f"{c}m"}
    if kind == "lognormal":
        return {
            "kind": "lognormal",
            "median": f"{a}m",
            "sigma": draw(st.floats(0.01, 2)),
            "cap": f"{c}m",
        }
    if kind == "exponential":
        return {"kind": "exponential", "mean": f"{a}m"}
    values = [f"{v}m" for v in (a, b, c)]
    return {
        "kind": "empirical",
        "values": values,
        "weights": draw(st.lists(st.floats(0.1, 10), min_size=3, max_size=3)),
    }


def conditions(
    horizon: int, points: dict[str, list[str]], injects: list[str]
) -> st.SearchStrategy[Any]:
    leaves = [
        st.builds(lambda k: {"event": k}, st.sampled_from(KINDS)),
        st.builds(
            lambda k, ms, n: {"event": {"kind": k, "member_state": ms, "at_least": n}},
            st.sampled_from(KINDS),
            st.sampled_from(CODES),
            st.integers(1, 5),
        ),
        minutes(horizon).map(lambda m: {"after": m}),
        st.sampled_from(TIERS).map(lambda t: {"tier_at_least": t}),
        st.sampled_from(IPCR_MODES).map(lambda m: {"ipcr_mode_at_least": m}),
        st.integers(1, 27).map(lambda n: {"member_states_affected_at_least": n}),
        st.integers(0, 4).map(lambda g: {"attribution_grade_at_least": g}),
        st.sampled_from(["hr_declaration", "restrictive_listing"]).map(
            lambda m: {"measure": {"id": m, "status": "adopted"}}
        ),
    ]
    if points:
        leaves.append(
            st.sampled_from(sorted(points)).flatmap(
                lambda p: st.sampled_from([None, *points[p]]).map(
                    lambda o: (
                        {"decision": {"point": p, "option": o}} if o else {"decision": {"point": p}}
                    )
                )
            )
        )
    if injects:
        leaves.append(st.sampled_from(injects).map(lambda i: {"inject_delivered": i}))
    return st.recursive(
        st.one_of(leaves),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"all": xs}),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: {"any": xs}),
            inner.map(lambda x: {"not": x}),
        ),
        max_leaves=6,
    )


def effects(injects: list[str]) -> st.SearchStrategy[Any]:
    options = [
        st.sampled_from(IPCR_MODES).map(lambda m: {"ipcr_mode": m}),
        st.sampled_from(["activate", "deactivate"]).map(lambda a: {"cyclone": a}),
        st.sampled_from(["normal", "elevated", "high"]).map(lambda m: {"csirts_network_alert": m}),
        st.booleans().map(lambda b: {"joint_statement": b}),
        st.sampled_from(["hr_declaration", "eu_demarche"]).map(lambda m: {"propose_measure": m}),
        st.builds(
            lambda c, ms: {"invoke": {"clause": c, "member_state": ms}},
            st.sampled_from(["art_222", "art_42_7"]),
            st.sampled_from(CODES),
        ),
        st.builds(
            lambda ms, sec: {"request_reserve": {"member_state": ms, "sector": sec}},
            st.sampled_from(CODES),
            st.sampled_from(sorted(SECTORS)),
        ),
        st.builds(
            lambda ms, p: {"share_intelligence": {"member_states": ms, "share": p}},
            st.lists(st.sampled_from(CODES), max_size=3),
            prob,
        ),
        st.builds(
            lambda ms, g: {"attribute": {"member_states": ms, "grade": g}},
            st.lists(st.sampled_from(CODES), min_size=1, max_size=3),
            st.integers(0, 4),
        ),
        st.sampled_from(["coordinated", "uncoordinated", "silent"]).map(
            lambda c: {"public_communication": c}
        ),
    ]
    if injects:
        options.append(st.sampled_from(injects).map(lambda i: {"deliver_inject": i}))
    return st.one_of(options)


@st.composite
def presidencies(draw: st.DrawFn, start: datetime, minutes: int) -> str | list[Any]:
    """A Presidency for each six-month term the run is in, each unlike the one before: a
    code, or a schedule of codes and terms (with their 'from' or without)."""
    held = [draw(st.sampled_from(CODES))]
    moments = rotations(start, start + timedelta(minutes=minutes))
    for _ in moments:
        held.append(draw(st.sampled_from([c for c in CODES if c != held[-1]])))
    if not moments and draw(st.booleans()):
        return held[0]
    return [
        {"member_state": code, "from": moment.isoformat().replace("+00:00", "Z")}
        if i and draw(st.booleans()) else code
        for i, (code, moment) in enumerate(zip(held, [start, *moments], strict=True))
    ]


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Plain data of a valid scenario, as a YAML author would write it."""
    horizon = draw(st.integers(60, 30 * 1440))
    objectives = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    inject_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    n_timed = draw(st.integers(1, len(inject_ids)))
    point_ids = draw(st.lists(ids, max_size=2, unique=True))
    points = {p: draw(st.lists(ids, min_size=2, max_size=3, unique=True)) for p in point_ids}

    def trigger() -> dict[str, Any]:
        if draw(st.booleans()):
            return {"at": draw(minutes(horizon))}
        # decisions referenced by conditions are those of other points: any is fine
        return {"when": draw(conditions(horizon, points, inject_ids))}

    # from the Cyber Solidarity Act on, so that every body and instrument the effects above may
    # ask for exists (earlier starts play under the law of their day: docs/machinery.md
    # section 12, tests/test_legal_regime.py)
    start = draw(st.datetimes(datetime(2025, 2, 4), datetime(2035, 1, 1), timezones=st.just(UTC)))
    data: dict[str, Any] = {
        "schema_version": 1,
        "metadata": {
            "id": draw(ids),
            "title": draw(text),
            "description": draw(text),
            "start": start.isoformat().replace("+00:00", "Z"),
            "duration": f"{horizon}m",
            "presidency": draw(presidencies(start, horizon)),
            "tlp": draw(st.sampled_from(["clear", "green", "amber", "amber+strict", "red"])),
            "authors": draw(st.lists(text, max_size=2)),
        },
        "objectives": [
            {
                "id": o,
                "text": draw(text),
                "capability": draw(text),
                "level": draw(
                    st.sampled_from(
                        ["technical", "operational", "political_crisis", "foreign_policy"]
                    )
                ),
            }
            for o in objectives
        ],
        "world": {
            "member_states": draw(
                st.dictionaries(
                    st.sampled_from(CODES),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "csirt_capacity": st.integers(1, 50),
                            "intel_sharing": prob,
                            "veto_propensity": prob,
                            "sectors": st.dictionaries(
                                st.sampled_from(sorted(SECTORS)),
                                st.sampled_from(["low", "medium", "high", "critical"]),
                                max_size=3,
                            ),
                        },
                    ),
                    max_size=3,
                )
            ),
        },
        "campaign": {
            "threat_actor": {
                "name": draw(text),
                "attribution_difficulty": draw(prob),
                "state_link": draw(
                    st.sampled_from(["none", "suspected", "state_sponsored", "state_directed"])
                ),
            },
            "waves": [
                {
                    "id": w,
                    **trigger(),
                    "vector": draw(
                        st.sampled_from(["phishing", "supply_chain", "ransomware", "wiper", "ddos"])
                    ),
                    "techniques": draw(
                        st.lists(
                            st.from_regex(r"T[0-9]{4}(\.[0-9]{3})?", fullmatch=True), max_size=3
                        )
                    ),
                    "targets": {
                        "member_states": draw(
                            st.lists(st.sampled_from(CODES), min_size=1, max_size=4)
                        ),
                        "sectors": draw(
                            st.lists(st.sampled_from(sorted(SECTORS)), min_size=1, max_size=3)
                        ),
                    },
                    "spread": {"interval": draw(distributions()), "probability": draw(prob)},
                    "impact": {"peak": draw(prob), "time_to_peak": draw(distributions())},
                    "detection": {"time_to_detect": draw(distributions())},
                }
                for w in draw(st.lists(ids, min_size=1, max_size=2, unique=True))
            ],
        },
        "timings": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "early_warning": distributions(),
                    "notification": distributions(),
                    "joint_statement": distributions(),
                    "early_warning_compliance": prob,
                },
            )
        ),
        "msel": {
            "injects": [
                {
                    "id": i,
                    **(
                        {"at": draw(minutes(horizon))}
                        if k < n_timed
                        else {"when": draw(conditions(horizon, points, inject_ids))}
                    ),
                    "from": draw(participants),
                    "to": draw(st.lists(participants, min_size=1, max_size=3)),
                    "mode": draw(st.sampled_from(["email", "phone", "briefing", "news_report"])),
                    "synopsis": draw(text),
                    "expected_actions": [
                        {
                            "text": draw(text),
                            "within": draw(minutes(horizon)),
                            "evidence": draw(st.sampled_from(KINDS)),
                        }
                        for _ in range(draw(st.integers(0, 2)))
                    ],
                    "objectives": draw(st.lists(st.sampled_from(objectives), unique=True)),
                }
                for k, i in enumerate(inject_ids)
            ],
        },
        "decision_points": [
            {
                "id": p,
                "prompt": draw(text),
                "decided_by": draw(participants),
                **trigger(),
                "options": [
                    {
                        "id": o,
                        "label": draw(text),
                        "effects": draw(st.lists(effects(inject_ids), max_size=2)),
                    }
                    for o in points[p]
                ],
                "default": draw(st.sampled_from(points[p])),
                "policy": {o: draw(st.floats(0.1, 5)) for o in points[p]},
            }
            for p in point_ids
        ],
        "scoring": [
            {
                "objective": o,
                "metrics": draw(
                    st.lists(
                        st.one_of(
                            st.builds(
                                lambda a, b: {
                                    "kind": "time_between",
                                    "from": a,
                                    "to": b,
                                    "target": "1d",
                                    "limit": "2d",
                                },
                                st.sampled_from(KINDS),
                                st.sampled_from(KINDS),
                            ),
                            st.sampled_from(["early_warning", "notification", "final_report"]).map(
                                lambda r: {"kind": "deadline_compliance", "report": r}
                            ),
                            st.sampled_from(KINDS).map(lambda k: {"kind": "occurs", "event": k}),
                            st.sampled_from(KINDS).map(lambda k: {"kind": "absent", "event": k}),
                            st.just({"kind": "proportionality", "weight": 2.0}),
                            st.just({"kind": "inject_expectations", "injects": inject_ids[:1]}),
                        ),
                        min_size=1,
                        max_size=3,
                    )
                ),
                "thresholds": {"P": 0.9, "S": 0.6, "M": 0.3},
            }
            for o in draw(st.lists(st.sampled_from(objectives), unique=True))
        ],
    }
    return data
