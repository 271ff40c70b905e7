"""The law in force at a scenario's start: which reporting obligations, bodies and instruments
existed then (docs/machinery.md section 12), so that a past incident is replayed under its own
law rather than today's.

Each element of ``machinery.legal_regime`` left out follows ``metadata.start`` and the dates
below; one set explicitly wins, for a what-if (NIS2's clocks in 2019, EU-CyCLONe in 2017), and
the log's ``law.in_force`` record names it as one. Every element but one holds for the whole
run, as it stood at the start: the obligations and bodies that handle an incident are those of
the day it began (an incident of 2017 was not notified under NIS1 in 2018, nor taken up by
EU-CyCLONe in 2020). The exception is the sanctions framework: it is the legal basis of an act
the Council adopts later about past conduct (the listings of 30 July 2020 answered WannaCry and
NotPetya of 2017), so a restrictive measure needs it in force on the day it is proposed and
adopted, and a run that crosses 18 May 2019 gains it that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import Strict

if TYPE_CHECKING:
    from .models import Scenario

#: NIS1, Directive (EU) 2016/1148: transposed by 9 May 2018, its measures applied from 10 May
#: 2018 (Art 25(1)). Operators of essential services notify "without undue delay" incidents
#: with a significant impact on the continuity of essential services (Art 14(3)), digital
#: service providers those with a substantial impact on their service (Art 16(3)).
NIS1_APPLIES = datetime(2018, 5, 10, tzinfo=UTC)
#: NIS2, Directive (EU) 2022/2555: applies from 18 October 2024 (Art 41(1)), when NIS1 is
#: repealed (Art 44); early warning 24 h, notification 72 h, final report a month (Art 23(4))
NIS2_APPLIES = datetime(2024, 10, 18, tzinfo=UTC)
#: the CSIRTs network, established by NIS1 Art 12 (in force 8 August 2016, operational six
#: months later); its first formal meeting, in Malta on 22-23 February 2017, is the
#: conservative date from which it worked
CSIRTS_NETWORK_MEETS = datetime(2017, 2, 22, tzinfo=UTC)
#: EU-CyCLONe, launched as a cooperation network at Blue OLEx on 29 September 2020 and
#: formalised by NIS2 Art 16 (in force 16 January 2023)
CYCLONE_LAUNCHED = datetime(2020, 9, 29, tzinfo=UTC)
#: Council Decision (CFSP) 2019/797 and Regulation (EU) 2019/796 of 17 May 2019, published the
#: same day and in force from the day after: the later of the two dates is the conservative one
SANCTIONS_FRAMEWORK = datetime(2019, 5, 18, tzinfo=UTC)
#: the Cyber Solidarity Act, Regulation (EU) 2025/38: in force on 4 February 2025 (the EU
#: Cybersecurity Reserve, Art 14-19; incident reviews, Art 21)
CYBER_SOLIDARITY_ACT = datetime(2025, 2, 4, tzinfo=UTC)

#: the sectors NIS1 covered: the operators of essential services of its Annex II (energy,
#: transport, banking, financial market infrastructures, health, drinking water, digital
#: infrastructure) and the digital service providers of its Annex III (online marketplaces,
#: search engines, cloud computing, here among digital infrastructure). NIS2 added the rest.
NIS1_SECTORS = frozenset({
    "energy", "transport", "banking", "financial_market_infrastructure", "health",
    "drinking_water", "digital_infrastructure", "digital_providers",
})

Reporting = Literal["nis2", "nis1", "none"]

#: how an entity's incident reaches its CSIRT, as the log's ``entity.notification`` says it
#: (``basis``): under NIS2 the three reports with their deadlines (no basis written), under
#: NIS1 one notification "without undue delay", and where no EU law obliges it, a voluntary
#: one (or one national law asks for)
Basis = Literal["nis2", "nis1", "voluntary"]


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


class LegalRegime(Strict):
    """The law in force for the run (docs/machinery.md section 12). Every element left out
    follows metadata.start; one given overrides the calendar, for a what-if."""

    reporting: Reporting | None = Field(
        None,
        description="entities' incident reporting: nis2 (early warning 24 h, notification 72 h, "
        "final report a month: Directive (EU) 2022/2555 Art 23, from 18 October 2024), nis1 "
        "(one notification 'without undue delay' by operators of essential services and "
        "digital service providers: Directive (EU) 2016/1148 Art 14(3) and 16(3), from 10 May "
        "2018), none (no EU obligation: entities tell their CSIRT only voluntarily, "
        "timings.voluntary_notification). Default: from metadata.start",
    )
    csirts_network: bool | None = Field(
        None,
        description="the CSIRTs network exists (NIS1 Art 12; first met on 22 February 2017): "
        "national CSIRTs pass incidents on to it and the EU level learns of them. Default: "
        "from metadata.start",
    )
    cyclone: bool | None = Field(
        None,
        description="EU-CyCLONe exists (launched on 29 September 2020, NIS2 Art 16 since "
        "2023); without it nothing activates it, not even a request. Default: from "
        "metadata.start",
    )
    sanctions_framework: bool | None = Field(
        None,
        description="the cyber sanctions framework (Decision (CFSP) 2019/797, Regulation (EU) "
        "2019/796): true or false for the whole run; left out, in force from 18 May 2019, "
        "within the run too if it crosses that day",
    )
    cyber_solidarity_act: bool | None = Field(
        None,
        description="the Cyber Solidarity Act (Regulation (EU) 2025/38, in force on 4 February "
        "2025): the EU Cybersecurity Reserve and ENISA's incident reviews; without it a request "
        "for either is refused. Default: from metadata.start",
    )


#: the elements of ``LegalRegime``, in the order the log and the docs name them
ELEMENTS = ("reporting", "csirts_network", "cyclone", "sanctions_framework",
            "cyber_solidarity_act")


@dataclass(frozen=True)
class Law:
    """The legal regime a run plays under, resolved from the calendar and the overrides."""

    start: datetime
    reporting: Reporting
    csirts_network: bool
    cyclone: bool
    cyber_solidarity_act: bool
    #: minutes after the start from which the sanctions framework is in force (0: from the
    #: start), or None when it never is
    sanctions_framework_from: float | None
    #: the elements set explicitly against what the calendar says: what-ifs
    what_if: tuple[str, ...] = ()

    def sanctions_framework_at(self, minutes: float) -> bool:
        """Whether the sanctions framework is in force ``minutes`` after the start."""
        since = self.sanctions_framework_from
        return since is not None and minutes >= since

    def basis(self, sector: str) -> Basis:
        """How an entity of ``sector`` owes its CSIRT a significant incident."""
        if self.reporting == "nis2":
            return "nis2"
        if self.reporting == "nis1" and sector in NIS1_SECTORS:
            return "nis1"
        return "voluntary"

    def date(self) -> str:
        return f"{self.start:%Y-%m-%d}"

    def words(self, duration: float | None = None) -> str:
        """The law in a line, for ``ttx overview`` and the report: what exists and what does
        not, and which elements are what-ifs against the calendar."""
        reporting = {"nis2": "NIS2 reporting (24 h, 72 h, one month)",
                     "nis1": "NIS1 reporting (one notification, without undue delay)",
                     "none": "no EU reporting duty"}[self.reporting]
        since = self.sanctions_framework_from
        if since is None or (duration is not None and since > duration):
            sanctions = "no cyber sanctions framework"
        elif since == 0:
            sanctions = "the cyber sanctions framework"
        else:
            sanctions = f"the cyber sanctions framework from {SANCTIONS_FRAMEWORK:%d %B %Y}"
        parts = [
            reporting,
            "the CSIRTs network" if self.csirts_network else "no CSIRTs network",
            "EU-CyCLONe" if self.cyclone else "no EU-CyCLONe",
            sanctions,
            "the Cyber Solidarity Act" if self.cyber_solidarity_act
            else "no Cyber Solidarity Act (no Reserve)",
        ]
        text = "; ".join(parts)
        if self.what_if:
            text += f" (what-if against the calendar: {', '.join(self.what_if)})"
        return text


def calendar(start: datetime) -> dict[str, object]:
    """What the calendar says of each element at ``start`` (the sanctions framework: at the
    start itself)."""
    return {
        "reporting": "nis2" if start >= NIS2_APPLIES else "nis1" if start >= NIS1_APPLIES
        else "none",
        "csirts_network": start >= CSIRTS_NETWORK_MEETS,
        "cyclone": start >= CYCLONE_LAUNCHED,
        "sanctions_framework": start >= SANCTIONS_FRAMEWORK,
        "cyber_solidarity_act": start >= CYBER_SOLIDARITY_ACT,
    }


def resolve(start: datetime, regime: LegalRegime, sanctions_alias: bool | None = None) -> Law:
    """The law of a run starting at ``start``: each element as ``regime`` sets it, else as the
    calendar says. ``sanctions_alias``: ``machinery.sanctions_framework_in_force``, the older
    name of ``sanctions_framework`` (the checks refuse the two when they disagree)."""
    dated = calendar(start)
    given = regime.model_dump()
    if given["sanctions_framework"] is None:
        given["sanctions_framework"] = sanctions_alias
    chosen = {name: dated[name] if given[name] is None else given[name] for name in ELEMENTS}
    what_if = tuple(
        name for name in ELEMENTS if given[name] is not None and given[name] != dated[name]
    )
    if given["sanctions_framework"] is None:
        since = (SANCTIONS_FRAMEWORK - start).total_seconds() / 60
        framework_from: float | None = max(0.0, since)
    else:
        framework_from = 0.0 if given["sanctions_framework"] else None
    return Law(
        start=start,
        reporting=chosen["reporting"],  # type: ignore[arg-type]
        csirts_network=bool(chosen["csirts_network"]),
        cyclone=bool(chosen["cyclone"]),
        cyber_solidarity_act=bool(chosen["cyber_solidarity_act"]),
        sanctions_framework_from=framework_from,
        what_if=what_if,
    )


def law_of(scenario: Scenario) -> Law:
    """The law a scenario's run plays under."""
    machinery = scenario.machinery
    return resolve(
        scenario.metadata.start, machinery.legal_regime, machinery.sanctions_framework_in_force
    )


# -- the reasons the machinery gives when something the law did not provide for is asked -----

#: why each element may be missing, in words for the log and the validator
ABSENT: dict[str, str] = {
    "csirts_network": "the CSIRTs network did not exist yet (NIS1, Directive (EU) 2016/1148 "
    f"Art 12; it first met on {_day(CSIRTS_NETWORK_MEETS)})",
    "cyclone": "EU-CyCLONe did not exist yet (launched on "
    f"{_day(CYCLONE_LAUNCHED)}, formalised by NIS2 Art 16)",
    "cyber_solidarity_act": "the Cyber Solidarity Act was not in force yet (Regulation (EU) "
    f"2025/38, in force on {_day(CYBER_SOLIDARITY_ACT)}: the EU Cybersecurity Reserve and "
    "incident reviews)",
}


def absent(element: str, law: Law) -> str:
    """Why ``element`` is missing from ``law``: a date before it existed, or the scenario's
    own choice."""
    if element in law.what_if:
        return (f"the scenario's legal regime leaves it out (machinery.legal_regime.{element}: "
                "false)")
    return f"{ABSENT[element]}; the scenario starts on {law.date()}"
