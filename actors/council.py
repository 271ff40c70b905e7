"""The Council's preparatory chain and its votes (Art 24(1) and 31(1) TEU; docs/machinery.md
sections 2, 3 and 6).

A Toolbox measure decided in the Council goes HWPCI -> PSC -> COREPER -> Council, each with
its lead time; one agreed in the PSC or the HWPCI stops there. Decisions are taken by consensus
or unanimity, so each Member State can block: it does so with its ``veto_propensity``, which
:func:`veto_probability` raises when the measure's language runs ahead of the attribution basis
or is disproportionate and lowers as the incident grows severe and partners take positions.
A vetoed draft goes back to COREPER for renegotiation (each round halves the propensity, as a
compromise text is found) up to ``machinery.council.renegotiation_rounds`` times, then is
blocked for good. Every veto is an event.

A measure proposed ``align_with_partners`` is prepared, then its final decision is held until
a partner attributes the attack, and taken the same day (SolarWinds: US attribution and HR
declaration both on 15 April 2021).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actors.rules import proportionate
from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.scenario.reference import MEMBER_STATES

#: the stages a measure passes, by the body that finally decides it
CHAIN = {
    "hwpci": ("hwpci",),
    "psc": ("hwpci", "psc"),
    "council": ("hwpci", "psc", "coreper", "council"),
    "high_representative": ("hwpci", "psc", "coreper", "council"),
}
_SEVERITY = (2.0, 1.5, 1.0, 0.6)  # by tier rank: blocking costs more as the incident grows
HOUR = 60.0


def veto_probability(
    base: float,
    needed_grade: int | None,
    basis: int,
    tier_rank: int,
    partners_attributed: bool,
    proportionate: bool,
    round_: int = 1,
) -> float:
    """The chance that one Member State blocks the measure at one vote. Pure: the rules."""
    p = base * _SEVERITY[tier_rank]
    gap = 0 if needed_grade is None else needed_grade - max(basis, 0) - 1
    if gap > 0:
        # naming beyond what the evidence supports (one grade above it is the usual reach,
        # as in actors.toolbox.proportionate)
        p *= 1 + gap
    if partners_attributed:
        p *= 0.6
    if not proportionate:
        p *= 2.0
    p *= 0.5 ** (round_ - 1)
    return min(1.0, p)


def vote(
    rng: Any, probabilities: dict[str, float]
) -> list[str]:
    """The Member States that block, in a fixed order (so the draw is reproducible)."""
    return [ms for ms in sorted(probabilities) if rng.random() < probabilities[ms]]


class Council(Actor):
    scope = "council"
    sends = ("toolbox.decided", "intcen.request")

    def wire(self) -> None:
        self.catalogue = self.scenario.toolbox.catalogue()
        self.waiting_for_partners: list[Any] = []
        self.on("council.submit", self._submit)
        self.on("partner.attribution", self._partner)

    def _submit(self, message: Message) -> None:
        self.send("intcen.request", measure=message.body["measure"])
        self.kernel.process(self._prepare(message.body))

    def _partner(self, event: Event) -> None:
        waiting, self.waiting_for_partners = self.waiting_for_partners, []
        for signal in waiting:
            signal.succeed(event.payload.get("partner", event.actor))

    def _prepare(self, body: dict[str, Any]) -> Iterator[Any]:
        measure = self.catalogue[body["measure"]]
        mid = measure.id
        timings = self.scenario.timings
        stages = CHAIN[measure.decision_body]
        for stage in stages[:-1]:
            yield self.env.timeout(self.sample(getattr(timings, stage)))
            self.emit(f"{stage}.agreed", subject=mid, actor=stage, renegotiated=False)
        aligned_with: list[str] = []
        if body.get("align") and not self.state.partners_attributed:
            self.emit("council.held", subject=mid, actor=stages[-1], body=stages[-1],
                      until="a partner attributes the attack")
            signal = self.env.event()
            self.waiting_for_partners.append(signal)
            partner = yield signal
            aligned_with = [partner]
            yield self.env.timeout(self.rng.uniform(0, 6 * HOUR))
        else:
            if body.get("align"):
                aligned_with = sorted(self.state.partners_attributed)
            yield self.env.timeout(self.sample(getattr(timings, stages[-1])))
        final = stages[-1]
        rounds = self.scenario.machinery.council.renegotiation_rounds
        round_ = 1
        while True:
            # proportionality as it stands at the vote (partners may have attributed since the
            # proposal), as the Toolbox checks prerequisites again at adoption
            fits, _ = proportionate(measure, self.state)
            vetoes = self._vote(measure, fits, round_)
            outcome = "failed" if vetoes else "adopted"
            if final != "council" and not vetoes:
                self.emit(f"{final}.agreed", subject=mid, actor=final, renegotiated=round_ > 1)
            self.emit(
                "council.vote",
                subject=mid,
                actor=final,
                body=final,
                voting=measure.voting,
                outcome=outcome,
                vetoes=vetoes,
                round=round_,
                aligned_with=aligned_with,
                proportionate=fits,
            )
            for ms in vetoes:
                self.emit(
                    "member_state.veto", subject=mid, member_state=ms, actor=f"{ms}.permrep",
                    round=round_,
                )
            if not vetoes:
                self.send("toolbox.decided", measure=mid, outcome="adopted",
                          aligned_with=aligned_with)
                return
            if round_ > rounds:
                self.send(
                    "toolbox.decided", measure=mid, outcome="blocked",
                    reason=f"vetoed by {', '.join(vetoes)} after {round_} votes",
                )
                return
            round_ += 1
            yield self.env.timeout(self.sample(timings.council_renegotiation))
            if final == "council":
                self.emit("coreper.agreed", subject=mid, actor="coreper", renegotiated=True)

    def _vote(self, measure: Any, fits: bool, round_: int) -> list[str]:
        state = self.state
        probabilities = {
            ms: veto_probability(
                self.kernel.profile(ms).veto_propensity,
                measure.effects.attribution_grade,
                state.attribution_basis,
                state.max_tier_rank,
                bool(state.partners_attributed),
                fits,
                round_,
            )
            for ms in MEMBER_STATES
        }
        return vote(self.rng, probabilities)
