"""EU INTCEN, with EUMS INT as the Single Intelligence Analysis Capacity (SIAC).

It collects nothing of its own: its threat assessments rest on what Member States choose to
share and on partners' intelligence, so both their speed and their confidence grow with that
sharing (docs/machinery.md section 3). An assessment states the attribution grade the evidence can
support (section 6: 0 condemnation without naming ... 3 explicit state attribution); whether
anyone *uses* that grade stays a sovereign decision of Member States (Council answer
E-001005/2018), so nothing here changes the EU's language by itself.

A security vendor's public attribution (``external.vendor_attribution``) is intelligence too,
weighed like a partner's but at half its weight: open-source reporting, not a government's
assessment. Once a partner or a vendor has said publicly that the incident is not an attack
(``external.not_an_attack``), EU INTCEN starts no threat assessment, and one under way is not
delivered: there is no threat actor to assess (docs/machinery.md section 6).
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.engine.state import TIER_RANK


def assessment(
    shared: int,
    affected: int,
    partner_grade: int,
    difficulty: float,
    state_link: str,
    vendor_grade: int = -1,
) -> tuple[float, int, float]:
    """Confidence in [0, 1], the attribution grade it supports, and a speed factor for the
    time it takes (below 1 is faster). A pure function: the rules of INTCEN's dependence. A
    vendor's public attribution counts half a partner's, in confidence and in speed; it is
    nothing INTCEN can cite as a partner's assessment (grade 1)."""
    share = shared / affected if affected else 0.0
    partner = 1.0 if partner_grade >= 1 else 0.0
    vendor = 1.0 if vendor_grade >= 1 else 0.0
    confidence = (1 - difficulty) * (0.35 + 0.65 * share) + 0.2 * partner + 0.1 * vendor
    confidence = round(min(0.95, confidence), 3)
    state_linked = state_link in ("state_sponsored", "state_directed")
    if confidence >= 0.7 and state_linked:
        grade = 3
    elif confidence >= 0.5 and state_link != "none":
        grade = 2
    elif partner:
        grade = 1  # citing a partner's assessment: there must be one to cite
    else:
        grade = 0
    speed = max(0.5, 1.5 - share - 0.25 * partner - 0.125 * vendor)
    return confidence, grade, speed


class Intcen(Actor):
    scope = "intcen"

    def wire(self) -> None:
        self.started = False
        self.busy = False
        self.new_intel = False
        self.count = 0
        self.on("member_state.intel_shared", self._intel)
        self.on("partner.attribution", self._intel)
        self.on("external.vendor_attribution", self._intel)
        self.on("classification.tier", self._tier)
        self.on("csirts_network.informed", self._tier)
        self.on("cyclone.activated", self._begin)
        self.on("intcen.request", self._requested)

    def _tier(self, event: Event) -> None:
        # a significant incident known in two Member States, whichever comes second: the
        # tier, or the second Member State passed on to the CSIRTs network
        if self.state.max_tier_rank >= TIER_RANK["significant"] and len(
            self.state.eu_known
        ) >= 2:
            self._begin(event)

    def _requested(self, message: Message) -> None:
        self._begin(None)

    def _begin(self, _: object) -> None:
        if not self.scenario.campaign.malicious or self.state.not_an_attack:
            return  # a threat assessment is of a threat actor: an accident has none
        if not self.started:
            self.started = True
            self._schedule(1.0)

    def _intel(self, event: Event) -> None:
        if not self.started or self.state.not_an_attack:
            return
        if self.busy:
            self.new_intel = True
        else:
            self._schedule(0.5)  # a reassessment on new intelligence is quicker

    def _schedule(self, scale: float) -> None:
        self.busy = True
        self.new_intel = False
        base = self.sample(self.scenario.timings.intcen_assessment) * scale
        _, _, speed = self._judge()
        self.later(base * speed, self._deliver)

    def _judge(self) -> tuple[float, int, float]:
        state = self.state
        actor = self.scenario.campaign.primary_actor
        shared = len(state.intel_shared & state.eu_known.keys())
        return assessment(
            shared,
            len(state.eu_known),
            state.partner_grade,
            actor.attribution_difficulty,
            actor.state_link,
            state.vendor_grade,
        )

    def _deliver(self) -> None:
        self.busy = False
        if self.state.not_an_attack:
            return  # said publicly not to be an attack meanwhile: nothing to assess
        self.count += 1
        confidence, grade, _ = self._judge()
        state = self.state
        self.emit(
            "intcen.assessment",
            number=self.count,
            confidence=confidence,
            attribution_grade=grade,
            shared_by=sorted(state.intel_shared),
            partners=sorted(state.partners_attributed),
            threat_actor=self.scenario.campaign.primary_actor.name,
            to=["hwpci", "psc", "member_states"],
            **({"vendors": sorted(state.vendors_attributed)} if state.vendors_attributed else {}),
        )
        if self.new_intel:
            self._schedule(0.5)
