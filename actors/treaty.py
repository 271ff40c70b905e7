"""The treaty clauses (docs/machinery.md section 8).

- Art 222 TFEU, the solidarity clause: invoked by a Member State whose response capacity is
  overwhelmed; the Presidency moves IPCR to full activation at once (it listens for this).
- Art 42(7) TEU, mutual assistance after "armed aggression on its territory": never used for a
  cyber attack; when France invoked it on 16-17 November 2015, the other Member States pledged
  unanimous support within days (``timings.art42_7_support``, 0-4 days).
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.scenario.reference import MEMBER_STATES


class Treaty(Actor):
    scope = "treaty"

    def wire(self) -> None:
        self.invoked: set[tuple[str, str]] = set()
        self.on("effect.invoke", self._invoke)

    def _invoke(self, message: Message) -> None:
        spec = message.body["effect"].invoke
        key = (spec.clause, spec.member_state)
        if key in self.invoked:
            return
        self.invoked.add(key)
        ms = spec.member_state
        if spec.clause == "art_222":
            self.emit("treaty.art222_invoked", member_state=ms, actor=f"{ms}.government",
                      decision=message.body.get("decision"))
        else:
            self.emit("treaty.art42_7_invoked", member_state=ms, actor=f"{ms}.government",
                      decision=message.body.get("decision"))
            delay = self.sample(self.scenario.timings.art42_7_support)
            self.later(delay, self._support, ms)

    def _support(self, ms: str) -> None:
        self.emit(
            "treaty.art42_7_support",
            member_state=ms,
            actor="council",
            pledged_by=sorted(m for m in MEMBER_STATES if m != ms),
            unanimous=True,
        )
