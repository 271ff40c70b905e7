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
from ..engine.summary import milestones
from ..errors import TtxError
from ..safeio import write_output
from ..scenario.units import format_clock, format_duration
from ..scoring.card import RATING_NAMES, Scorecard, unrated_reason
from ..text import visible
from .charts import escalation_svg, impact_svg

REPORT_FORMATS = ("md", "html")
#: how long the Improvement Plan proposes for a corrective action (HSEEP leaves it to the
#: After-Action Meeting; a quarter is a common default)
ACTION_DAYS = 90


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
        start = meta.start
        end = float(run.get("end", 0.0))
        finished = start + timedelta(minutes=end)

        def clock(t: float | None) -> str:
            return "—" if t is None else format_clock(t, start)

        roles = {r.id: r for r in scenario.roles}
        points = {p.id: p for p in scenario.decision_points}
        decisions = []
        for e in self.events:
            if e.kind not in ("decision.made", "decision.unresolved") or e.subject not in points:
                continue
            point = points[e.subject]
            role = roles.get(point.decided_by)
            labels = {o.id: o.label for o in point.options}
            made = e.kind == "decision.made"
            option = e.payload.get("option") if made else None
            decisions.append({
                "time": clock(e.t),
                "point": point.id,
                "prompt": point.prompt,
                "options": [labels[o.id] for o in point.options],
                "choice": labels.get(str(option), str(option)) if made else
                f"unresolved at the end (default: {labels.get(point.default, point.default)})",
                "who": (role.name if role else point.decided_by)
                + (f" ({e.payload.get('by')})" if made else ""),
                "rationale": (e.payload.get("rationale") or "—") if made else "—",
            })
        capabilities = []
        for o in card.objectives:
            capabilities.append({
                "objective": o.objective.id,
                "capability": o.objective.capability,
                "text": o.objective.text,
                "level": o.objective.level,
                "score": "n/a" if o.score is None else f"{o.score:.2f}",
                "rating": o.rating or "not rated",
                "rating_name": RATING_NAMES.get(o.rating or "", unrated_reason(o)),
                "override": None if o.override is None else {
                    "rating": o.override.rating, "rationale": o.override.rationale,
                    "by": o.override.by,
                },
                "final": o.final_rating or "not rated",
                "metrics": [
                    {"id": m.id, "description": m.description, "summary": m.summary,
                     "score": "n/a" if m.score is None else f"{m.score:.2f}",
                     "weight": f"{m.weight:g}",
                     "evidence": [{"time": clock(ev.t) if ev.t is not None else "",
                                   "note": ev.note} for ev in m.evidence]}
                    for m in o.metrics
                ],
            })

        def finding(o: Any, m: Any) -> dict[str, Any]:
            return {
                "objective": o.objective.id, "capability": o.objective.capability,
                "description": m.description, "summary": m.summary,
                "score": "n/a" if m.score is None else f"{m.score:.2f}",
                "evidence": [{"time": clock(ev.t) if ev.t is not None else "", "note": ev.note}
                             for ev in m.evidence[:6]],
            }

        strengths = [finding(o, m) for o, m in card.strengths()]
        improvements = [finding(o, m) for o, m in card.improvements()]
        observations = [
            {"kind": b.kind, "objective": b.about or "the exercise", "text": b.text,
             "by": b.by, "time": clock(b.t) if b.t is not None else ""}
            for b in card.observations
        ]
        identified = finished.date()
        due = identified + timedelta(days=ACTION_DAYS)
        plan = [
            {"capability": o.objective.capability, "objective": o.objective.id,
             "issue": f"{m.description}: {m.summary}", "action": m.action,
             "element": m.element, "owner": m.owner, "start": identified.isoformat(),
             "due": due.isoformat()}
            for o, m in card.improvements()
        ]
        capability_of = {o.objective.id: o.objective.capability for o in card.objectives}
        plan += [  # an improvement observed about several objectives: a row for each
            {"capability": capability_of.get(objective or "", "the exercise as a whole"),
             "objective": objective or "—", "issue": f"{b.text} (observed by {b.by})",
             "action": "for the After-Action Meeting to agree", "element": "—",
             "owner": "—", "start": identified.isoformat(), "due": due.isoformat()}
            for b in card.observations if b.kind == "improvement"
            for objective in (b.objectives or (None,))
        ]
        return {
            "title": meta.title,
            "scenario_id": meta.id,
            "description": meta.description,
            "profile": meta.profile.replace("_", " "),
            "presidency": meta.presidency,
            "start": start.strftime("%Y-%m-%d %H:%M UTC"),
            "finished": finished.strftime("%Y-%m-%d %H:%M UTC"),
            "duration": format_duration(round(end)),
            "planned": format_duration(meta.duration),
            "seed": run.get("seed"),
            "version": run.get("version"),
            "sha256": run.get("sha256") or "",
            "status": run.get("status"),
            "events": run.get("events"),
            "tlp": meta.tlp.upper(),
            "sources": card.sources,
            "warnings": card.warnings,
            "objectives": [{"id": o.id, "text": o.text, "capability": o.capability,
                            "level": o.level} for o in scenario.objectives],
            "participants": [{"name": r.name, "body": r.body, "member_state": r.member_state
                              or "", "played_by": r.played_by} for r in scenario.roles],
            "authors": meta.authors,
            "milestones": [{"time": clock(m.t), "what": m.what, "detail": m.detail}
                           for m in milestones(self.events)],
            "decisions": decisions,
            "capabilities": capabilities,
            "strengths": strengths,
            "improvements": improvements,
            "observations": observations,
            "plan": plan,
            "action_days": ACTION_DAYS,
            "charts": {name: Trusted(svg) for name, svg in self.charts.items()},
            "chart_links": {k: Trusted(v) for k, v in (chart_links or {}).items()},
        }


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
