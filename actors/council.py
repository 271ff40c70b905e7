"""The Council's preparatory chain and its votes (Art 24(1) and 31(1) TEU; docs/machinery.md
sections 2, 3 and 6).

Every Toolbox measure the Member States must agree, whatever body carries it out, goes HWPCI ->
PSC -> COREPER -> Council, each step with its lead time from the scenario's timings; one agreed
in the PSC or the HWPCI stops there (``actors.rules.council_stages``). Decisions are taken by
consensus or unanimity, so each Member State can block: it does so with its
``veto_propensity``, which :func:`veto_probability` raises when the measure's language runs
ahead of its attribution basis or is disproportionate and lowers as the incident grows severe
and partners take positions. A Member State that asked for the measure (its own body proposed
it, it proposed the listing, or it made the national attribution the measure's language rests
on) never blocks it (``actors.rules.requesters``).

A vetoed draft is renegotiated: it goes back a step (to COREPER, or to the HWPCI for a measure
the PSC decides), which agrees it again after ``timings.council_renegotiation``
(``coreper.agreed`` with ``renegotiated: true``), and each round halves the propensity as a
compromise text is found; after ``machinery.council.renegotiation_rounds`` rounds it is blocked
for good. Every veto is an event.

A measure proposed ``align_with_partners`` is prepared, then its final decision is held until
a partner or a Member State attributes the attack publicly, and taken the same day
(SolarWinds: US attribution and HR declaration both on 15 April 2021; APT28: Germany's and
Czechia's attributions and the HR declaration all on 3 May 2024).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actors.rules import council_stages, language_basis, proportionate, requesters
from simulator.engine.kernel import Actor, Message
from simulator.engine.records import Event
from simulator.scenario.reference import MEMBER_STATES

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
    held: bool = False,
) -> float:
    """The chance that one Member State blocks the measure at one vote. Pure: the rules.

    ``partners_attributed``: a partner or a Member State has attributed the attack publicly;
    ``held``: the text was agreed in advance and only its release waited for that attribution
    (the declarations of 2021-2024, prepared with the capitals), so little is left to block."""
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
    if held:
        p *= 0.25
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
        self.on("member_state.attribution", self._partner)

    def _submit(self, message: Message) -> None:
        self.send("intcen.request", measure=message.body["measure"])
        self.kernel.process(self._prepare(message.body))

    def _partner(self, event: Event) -> None:
        waiting, self.waiting_for_partners = self.waiting_for_partners, []
        for signal in waiting:
            signal.succeed(event.payload.get("partner") or event.member_state or event.actor)

    def _prepare(self, body: dict[str, Any]) -> Iterator[Any]:
        measure = self.catalogue[body["measure"]]
        mid = measure.id
        timings = self.scenario.timings
        stages = council_stages(measure)
        proposers = body.get("requested_by", ())
        for stage in stages[:-1]:
            yield self.env.timeout(self.sample(getattr(timings, stage)))
            self.emit(f"{stage}.agreed", subject=mid, actor=stage, renegotiated=False)
        aligned_with: list[str] = []
        held = False
        attributed = self.state.partners_attributed | self.state.national_grades.keys()
        if body.get("align") and not attributed:
            self.emit("council.held", subject=mid, actor=stages[-1], body=stages[-1],
                      until="a partner or a Member State attributes the attack publicly")
            signal = self.env.event()
            self.waiting_for_partners.append(signal)
            yield signal
            held = True
            yield self.env.timeout(self.rng.uniform(0, 6 * HOUR))
            # every public attribution made by then (two capitals may speak the same day)
            aligned_with = sorted(self.state.partners_attributed
                                  | self.state.national_grades.keys())
        else:
            if body.get("align"):
                aligned_with = sorted(attributed)
            yield self.env.timeout(self.sample(getattr(timings, stages[-1])))
        final = stages[-1]
        rounds = self.scenario.machinery.council.renegotiation_rounds
        round_ = 1
        while True:
            # proportionality as it stands at the vote (partners may have attributed since the
            # proposal), as the Toolbox checks prerequisites again at adoption
            fits, _ = proportionate(measure, self.state)
            vetoes = self._vote(measure, fits, round_, proposers, held=held)
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
            # the draft goes back a step and is renegotiated there, which takes time; the HWPCI
            # renegotiates its own (the next vote's round says so)
            yield self.env.timeout(self.sample(timings.council_renegotiation))
            if len(stages) > 1:
                back = stages[-2]
                self.emit(f"{back}.agreed", subject=mid, actor=back, renegotiated=True)

    def _vote(
        self, measure: Any, fits: bool, round_: int, proposers: Any = (), held: bool = False
    ) -> list[str]:
        state = self.state
        basis = language_basis(measure, state)
        asked = requesters(measure, state, proposers)
        probabilities = {
            ms: 0.0
            if ms in asked  # a Member State never blocks what it asked for
            else veto_probability(
                self.kernel.profile(ms).veto_propensity,
                measure.effects.attribution_grade,
                basis,
                state.max_tier_rank,
                bool(state.partners_attributed or state.national_grades),
                fits,
                round_,
                held,
            )
            for ms in MEMBER_STATES
        }
        return vote(self.rng, probabilities)
