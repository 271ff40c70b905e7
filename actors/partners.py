"""Partners outside the EU machinery: the United States, the United Kingdom, NATO and others
(docs/machinery.md sections 3 and 9).

They make their own attributions and sanctions. A scenario scripts them as external events
(``allied_attribution``, ``partner_sanctions``) or states them in an MSEL inject (its
``partner_attribution`` and ``partner_sanctions`` effects); a partner it does not script acts by its
propensities: once the incident is large-scale and the threat actor has some state link, it
attributes with ``attribution_propensity`` (harder attributions less often) after
``timings.partner_attribution``, and may then sanction with ``sanctions_propensity`` after
``timings.partner_sanctions``. EU statements can be aligned with these (see the Council).

Once a partner or a vendor has said publicly that the incident is not an attack
(``external.not_an_attack``), no partner attributes or sanctions it of its own accord: one
waiting to do so does not (docs/machinery.md section 6). What the scenario scripts still
happens, as every fact it states does; the validator refuses an attribution timed after such a
statement, so that it is never scripted there by mistake.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.engine.state import TIER_RANK
from simulator.scenario.models import ExternalEvent

_KINDS = {"allied_attribution": "partner.attribution", "partner_sanctions": "partner.sanctions"}


class Partners(Actor):
    scope = "partners"

    def wire(self) -> None:
        self.scripted = [e for e in self.scenario.external_events if e.type in _KINDS]
        self.partners = {p.id: p for p in self.scenario.world.partners}
        self.scripted_attribution = {
            e.partner for e in self.scripted if e.type == "allied_attribution"
        }
        self.scripted_sanctions = {
            e.partner for e in self.scripted if e.type == "partner_sanctions"
        }
        self.considered = False
        self.sanctioned: set[str] = set()  # partners whose sanctions an inject stated
        self.on("classification.tier", self._tier)
        self.on("effect.partner_attribution", self._stated_attribution)
        self.on("effect.partner_sanctions", self._stated_sanctions)

    def start(self) -> None:
        for event in self.scripted:
            self.kernel.at_or_when(event.at, event.when, lambda e=event: self._scripted(e))

    def _scripted(self, event: ExternalEvent) -> None:
        if self.rng.random() >= event.probability:
            return
        partner = event.partner or "partner"
        extra = {}
        if event.type == "allied_attribution":
            extra["attribution_grade"] = 3 if event.attribution_grade is None else (
                event.attribution_grade
            )
        self.emit(
            _KINDS[event.type],
            subject=event.id,
            actor=f"partner.{partner}",
            partner=partner,
            description=event.description,
            scripted=True,
            **extra,
        )

    def _stated_attribution(self, message: Message) -> None:
        """An inject's ``partner_attribution``: certain, since the inject says it happened."""
        spec = message.body["effect"].partner_attribution
        self.emit(
            "partner.attribution",
            subject=message.body.get("inject"),
            actor=f"partner.{spec.partner}",
            partner=spec.partner,
            attribution_grade=spec.grade,
            description=spec.description or message.body.get("synopsis") or "attribution",
            scripted=True,
        )

    def _stated_sanctions(self, message: Message) -> None:
        spec = message.body["effect"].partner_sanctions
        self.sanctioned.add(spec.partner)
        self.emit(
            "partner.sanctions",
            subject=message.body.get("inject"),
            actor=f"partner.{spec.partner}",
            partner=spec.partner,
            description=spec.description or message.body.get("synopsis") or "sanctions",
            scripted=True,
        )

    def _tier(self, event: Event) -> None:
        actor = self.scenario.campaign.primary_actor
        if (
            actor is None
            or self.considered
            or self.state.not_an_attack
            or TIER_RANK[event.payload["tier"]] < TIER_RANK["large_scale"]
            or actor.state_link == "none"
        ):
            return
        self.considered = True
        for pid in sorted(self.partners):
            if pid in self.scripted_attribution:
                continue
            chance = self.partners[pid].attribution_propensity * (1 - actor.attribution_difficulty)
            if self.rng.random() < chance:
                delay = self.sample(self.scenario.timings.partner_attribution)
                self.later(delay, self._attribute, pid)

    def _attribute(self, pid: str) -> None:
        if pid in self.state.partners_attributed or self.state.not_an_attack:
            return  # an inject stated its attribution meanwhile, or it is said to be no attack
        self.emit(
            "partner.attribution", actor=f"partner.{pid}", partner=pid, attribution_grade=3,
            description=f"{self.partners[pid].name} attributes the campaign", scripted=False,
        )
        if pid not in self.scripted_sanctions and (
            self.rng.random() < self.partners[pid].sanctions_propensity
        ):
            self.later(self.sample(self.scenario.timings.partner_sanctions), self._sanction, pid)

    def _sanction(self, pid: str) -> None:
        if pid in self.sanctioned or self.state.not_an_attack:
            return  # an inject stated its sanctions meanwhile, or it is said to be no attack
        self.emit(
            "partner.sanctions", actor=f"partner.{pid}", partner=pid,
            description=f"{self.partners[pid].name} sanctions those responsible", scripted=False,
        )
