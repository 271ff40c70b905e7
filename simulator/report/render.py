"""Building the report's content from a scorecard and its log, and rendering it with Jinja2.

Every piece of text that comes from a scenario or a person is escaped for its format: in
HTML by Jinja2's autoescaping, in Markdown by a ``finalize`` hook that escapes every value a
template prints (so a template cannot forget to), and only our own chart SVG is trusted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..engine.records import Event
from ..errors import TtxError
from ..labels import DEADLINE, PLAYERS, Labels, duration, member_state, words
from ..safeio import write_output
from ..scenario.regime import law_of
from ..scenario.units import format_clock
from ..scoring.card import RATING_NAMES, Scorecard, unrated_reason
from ..text import visible
from .charts import escalation_svg, impact_svg
from .story import (
    PRIORITIES,
    at_a_glance,
    decision_rows,
    how_decided,
    improvements,
    key_decisions,
    open_points,
    priorities_sentence,
    timeline,
    top_heading,
    what_happened,
)

REPORT_FORMATS = ("md", "html")
#: how long the Improvement Plan proposes for a corrective action, by priority: see
#: ``story.PRIORITIES`` (HSEEP leaves the dates to the After-Action Meeting)
ACTION_DAYS = {name: completion for name, (_, _, completion) in PRIORITIES.items()}
#: how many decisions the executive summary shows (the decision log has them all)
SUMMARY_DECISIONS = 4


class Trusted(str):
    """Text we produced ourselves (chart SVG, links to our own files): printed as it is."""


@dataclass
class ReportData:
    card: Scorecard
    events: Sequence[Event]
    charts: dict[str, str] = field(default_factory=dict)  # name -> SVG text

    def context(self, chart_links: dict[str, str] | None = None) -> dict[str, Any]:
        card = self.card
        scenario = card.scenario
        meta = scenario.metadata
        run = card.run
        labels = card.scored.labels if card.scored else Labels(scenario)
        start = meta.start
        end = float(run.get("end", 0.0))
        finished = start + timedelta(minutes=end)

        def clock(t: float | None) -> str:
            return "—" if t is None else format_clock(t, start)

        def evidence(m: Any, most: int | None = None) -> list[dict[str, str]]:
            return [{"time": clock(ev.t) if ev.t is not None else "", "note": ev.note}
                    for ev in m.evidence[:most]]

        capabilities = []
        for o in card.objectives:
            capabilities.append({
                "objective": o.objective.id,
                "capability": o.objective.capability,
                "text": o.objective.text,
                "level": words(o.objective.level),
                "score": "n/a" if o.score is None else f"{o.score:.2f}",
                "rating": o.rating or "not rated",
                "rating_name": RATING_NAMES.get(o.rating or "", unrated_reason(o)),
                "override": None if o.override is None else {
                    "rating": o.override.rating, "rationale": o.override.rationale,
                    "by": o.override.by,
                },
                "final": o.final_rating or "not rated",
                "metrics": [
                    {"id": m.id, "description": m.description.rstrip("."),
                     "summary": m.summary,
                     "score": "n/a" if m.score is None else f"{m.score:.2f}",
                     "weight": f"{m.weight:g}", "evidence": evidence(m)}
                    for m in o.metrics
                ],
            })

        def finding(o: Any, m: Any) -> dict[str, Any]:
            return {
                "objective": o.objective.id, "capability": o.objective.capability,
                "description": m.description.rstrip("."), "summary": m.summary,
                "score": "n/a" if m.score is None else f"{m.score:.2f}",
                "evidence": evidence(m, 6),
            }

        strengths = [finding(o, m) for o, m in card.strengths()]
        areas = [finding(o, m) for o, m in card.improvements()]
        observations = [
            {"kind": b.kind, "objective": b.about or "the exercise", "text": b.text,
             "by": b.by, "time": clock(b.t) if b.t is not None else ""}
            for b in card.observations
        ]
        identified = finished.date()
        ranked = improvements(card)
        plan = []
        for item in ranked:
            _, begin, complete = PRIORITIES[item.priority]
            plan.append({
                "priority": item.priority, "capability": item.capability,
                "objective": item.objective, "issue": item.issue, "action": item.action,
                "element": item.element, "owner": item.owner,
                "start": (identified + timedelta(days=begin)).isoformat(),
                "due": (identified + timedelta(days=complete)).isoformat(),
            })
        top = [
            {"priority": i.priority, "capability": i.capability, "objective": i.objective,
             "finding": i.finding, "action": i.action, "owner": i.owner}
            for i in ranked[:3]
        ]
        decisions = decision_rows(card, self.events)
        defaulted = [
            {"point": d.point, "label": d.label, "time": clock(d.t)} for d in card.defaulted()
        ]
        points = {p.id: p.decided_by for p in scenario.decision_points}
        return {
            "title": meta.title,
            "scenario_id": meta.id,
            "description": meta.description,
            "profile": words(meta.profile),
            "presidency": meta.presidency_text(),
            "law": law_of(scenario).words(meta.duration),
            "start": start.strftime("%Y-%m-%d %H:%M UTC"),
            "finished": finished.strftime("%Y-%m-%d %H:%M UTC"),
            "duration": duration(end),
            "planned": duration(meta.duration),
            "seed": run.get("seed"),
            "version": run.get("version"),
            "sha256": run.get("sha256") or "",
            "status": run.get("status"),
            "events": run.get("events"),
            "tlp": meta.tlp.upper(),
            "sources": card.sources,
            "warnings": card.warnings,
            "headless": not card.interactive,
            "how_decided": how_decided(card),
            "what_happened": what_happened(card, self.events),
            "key_decisions": key_decisions(decisions, SUMMARY_DECISIONS),
            "more_decisions": max(0, len(decisions) - SUMMARY_DECISIONS),
            "glance": at_a_glance(card),
            "top": top,
            "top_heading": top_heading(len(top)),
            "areas_count": len(ranked),
            "objectives": [{"id": o.id, "text": o.text, "capability": o.capability,
                            "level": words(o.level)} for o in scenario.objectives],
            "participants": [
                {"name": r.name, "body": labels.participant(r.body),
                 "member_state": member_state(r.member_state) if r.member_state else "",
                 "played_by": _played_by(card, r, points)}
                for r in scenario.roles
            ],
            "authors": meta.authors,
            "timeline": timeline(card, self.events),
            "decisions": decisions,
            "defaulted": defaulted,
            "capabilities": capabilities,
            "strengths": strengths,
            "improvements": areas,
            "observations": observations,
            "plan": plan,
            "priorities": priorities_sentence(),
            "charts": {name: Trusted(svg) for name, svg in self.charts.items()},
            "chart_links": {k: Trusted(v) for k, v in (chart_links or {}).items()},
        }


def _played_by(card: Scorecard, role: Any, points: dict[str, str]) -> str:
    """Who played a role, as far as the log shows it: nobody in a headless run; in a session,
    the players where any of its decisions was theirs (or fell at their deadline)."""
    if not card.interactive:
        return "the scenario's policy (headless run)"
    sources = {d.source for d in card.decisions if points.get(d.point) == role.id}
    if any(points.get(p) == role.id for p in open_points(card)):
        sources.add(DEADLINE)  # it waited for people until the end
    if sources & {PLAYERS, DEADLINE}:
        return "players, live"
    if role.played_by == "policy" or sources:
        return "the scenario's policy"
    live = card.run.get("live_roles")  # the log says who was live (logs since 2026-12)
    if live is not None:
        return "players, live" if role.id in live or role.body in live else (
            "the scenario's policy")
    return "not known from the log: no decision of this role came up"


# --------------------------------------------------------------------------------------------
# escaping

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LEADING = re.compile(r"^(#+|[+-]+|=+|\d+[.)])(?=\s|$)")
#: what a Markdown renderer could turn into a link by itself: GitHub's extended autolinks
#: (``www.``, a scheme, an e-mail address) and linkify-style bare domains (``x,evil.com``,
#: ``bücher.de``, ``//evil.com``). Rather than mirror one renderer's rules, any word with a dot
#: between a letter or digit and two letters (of any script: a domain's ending), a ``//``, an
#: ``@`` or a scheme (``mailto:x``) is set as code, which no renderer links; a word is read in
#: its compatibility form (NFKC), so full-width ``ｗｗｗ．`` counts as ``www.``. Times (14:30)
#: and numbers (0.25) stay plain
_LINKISH = re.compile(r"[^\W_][.\u3002][^\W\d_]{2}|//|@|[A-Za-z][A-Za-z0-9+.-]*:\S")


def md_escape(value: Any) -> Any:
    """Any value printed into Markdown: HTML characters as entities (a Markdown file is often
    turned into HTML), Markdown punctuation backslash-escaped, line breaks as spaces (so a
    value cannot end a table row or start a block), terminal controls shown as escapes, and
    anything a renderer would make a link of set as code, which no renderer links."""
    if isinstance(value, Trusted) or value is None:
        return "" if value is None else value
    # one line, no indentation that would make a code block
    text = visible(re.sub(r"\s*[\r\n]+\s*", " ", str(value)).strip())
    text = "".join(_md_word(word) for word in re.split(r"(\s+)", text))
    # what would start a heading, a list or a rule if the value began a line
    return _MD_LEADING.sub(lambda m: _leading(m.group(1)), text, count=1)


def _md_word(word: str) -> str:
    if not word or word.isspace():
        return word
    if _LINKISH.search(unicodedata.normalize("NFKC", word)):
        longest = max((len(run) for run in re.findall(r"`+", word)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if word.startswith("`") or word.endswith("`") else ""
        # a pipe would still end a table cell inside code; GitHub takes \| as a pipe there
        return f"{fence}{pad}{word.replace('|', chr(92) + '|')}{pad}{fence}"
    word = word.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", word)


def _leading(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def _environment(fmt: str):  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, StrictUndefined
    from markupsafe import Markup

    common = {
        "loader": PackageLoader("simulator.report", "templates"),
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if fmt == "html":
        env = Environment(autoescape=True, **common)
        env.filters["trusted"] = lambda v: Markup(v) if isinstance(v, Trusted) else v
        return env
    return Environment(autoescape=False, finalize=md_escape, keep_trailing_newline=True,
                       **common)


def render_report(card: Scorecard, events: Sequence[Event], fmt: str,
                  chart_links: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """The report's text in ``fmt``, and its charts as SVG text by name. Markdown links to
    its charts by ``chart_links`` (by default ``escalation.svg`` and ``impact.svg``)."""
    if fmt not in REPORT_FORMATS:
        raise TtxError(f"--format {fmt}: one of {', '.join(REPORT_FORMATS)}")
    if fmt == "md" and chart_links is None:
        chart_links = {name: f"{name}.svg" for name in CHARTS}
    end = float(card.run.get("end", 0.0))
    charts = {
        "escalation": escalation_svg(events, card.scenario, end),
        "impact": impact_svg(events, end),
    }
    assert tuple(charts) == CHARTS
    data = ReportData(card, events, charts)
    template = _environment(fmt).get_template(f"report.{fmt}.j2")
    return template.render(**data.context(chart_links)), charts


def report_files(out: Path, fmt: str) -> list[Path]:
    """Every file a report at ``out`` is made of: the report, and for Markdown its charts
    beside it (``NAME-escalation.svg``, ``NAME-impact.svg``)."""
    if fmt != "md":
        return [out]
    return [out, *(out.with_name(f"{out.stem}-{name}.svg") for name in CHARTS)]


#: the report's charts, in the order they are drawn
CHARTS = ("escalation", "impact")


def write_report(card: Scorecard, events: Sequence[Event], fmt: str, out: Path) -> list[Path]:
    """Write the report (and, for Markdown, its charts beside it); return the files written.
    Each file is written whole or not at all (``safeio.write_output``); the charts come
    first, so a report never links to a chart that is missing."""
    from urllib.parse import quote

    paths = report_files(out, fmt)
    beside = dict(zip(CHARTS, paths[1:], strict=False))  # Markdown's charts, by name
    links = {name: quote(path.name) for name, path in beside.items()}
    text, charts = render_report(card, events, fmt, links if fmt == "md" else None)
    for name, path in beside.items():
        write_output(path, charts[name])
    write_output(out, text)
    return paths
