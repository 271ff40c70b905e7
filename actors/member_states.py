"""Member States' own decisions: intelligence sharing, national attribution, listing requests.

- Sharing with EU INTCEN is voluntary (docs/machinery.md section 3): an affected Member State shares
  what its services know with its ``intel_sharing`` propensity, some time after its CSIRT has
  handled the incident; a decision can make Member States share.
- Attribution is a sovereign, national decision (Council answer E-001005/2018): only decision
  effects make it, never the engine.
- A listing request (Decision (CFSP) 2019/797) needs an evidence package that can stand in
  court; it takes ``timings.national_attribution_to_listing`` to assemble, then goes to the
  Toolbox and the Council's chain (Bundestag: Germany asked on 28 May 2020; the Council listed
  on 22 October 2020). The requesting Member State, like one whose national attribution a
  measure rests on, never blocks it in the Council (``actors.rules.requesters``).
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event


class MemberStates(Actor):
    scope = "member_states"
    sends = ("toolbox.propose",)

    def wire(self) -> None:
        self.considered: set[str] = set()
        self.on("csirt.feedback", self._incident)
        self.on("effect.share_intelligence", self._share_decision)
        self.on("effect.attribute", self._attribute)
        self.on("effect.propose_listing", self._listing)

    def _incident(self, event: Event) -> None:
        ms = event.member_state
        if ms is None or ms in self.considered or not self.scenario.campaign.malicious:
            return  # intelligence on a threat actor: an accident has none to share
        self.considered.add(ms)
        if self.rng.random() < self.kernel.profile(ms).intel_sharing:
            self.later(self.sample(self.scenario.timings.intel_sharing), self._share, ms, "own")

    def _share(self, ms: str, why: str) -> None:
        if ms not in self.state.intel_shared:
            self.emit("member_state.intel_shared", member_state=ms, actor=f"{ms}.intelligence",
                      basis=why)

    def _share_decision(self, message: Message) -> None:
        spec = message.body["effect"].share_intelligence
        who = spec.member_states or sorted(self.state.reported)
        for ms in who:
            if self.rng.random() < spec.share:
                self._share(ms, message.source)

    def _attribute(self, message: Message) -> None:
        spec = message.body["effect"].attribute
        actor = self.scenario.campaign.primary_actor
        if actor is None:
            return  # no one to attribute it to (the validator refuses such a decision)
        for ms in spec.member_states:
            self.emit(
                "member_state.attribution",
                member_state=ms,
                actor=f"{ms}.government",
                grade=spec.grade,
                threat_actor=actor.name,
                decision=message.body.get("decision"),
            )

    def _listing(self, message: Message) -> None:
        spec = message.body["effect"].propose_listing
        ms = spec.member_state
        self.emit(
            "member_state.listing_proposed",
            member_state=ms,
            actor=f"{ms}.government",
            measure=spec.measure,
            decision=message.body.get("decision"),
        )
        delay = self.sample(self.scenario.timings.national_attribution_to_listing)
        self.later(delay, self._evidence, ms, spec.measure)

    def _evidence(self, ms: str, measure: str) -> None:
        self.emit("member_state.evidence_ready", member_state=ms, actor=f"{ms}.government",
                  measure=measure)
        self.send("toolbox.propose", measure=measure, by=f"{ms}.government",
                  align_with_partners=False)
