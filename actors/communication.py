"""Public communication by the EU and Member States (Council conclusions on the EU's Cyber
Posture, 23 May 2022, paras 12 and 14: coordinated public communication; FAC conclusions of 18
July 2022 on FIMI).

Messaging is either coordinated (one line agreed across Member States, EU bodies and, where
possible, partners) or uncoordinated (each on its own), or withheld. It is the players' call,
made through decision points; the log records it for FIMI and for scoring.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message


class Communication(Actor):
    scope = "communication"

    def wire(self) -> None:
        self.on("effect.public_communication", self._message)

    def _message(self, message: Message) -> None:
        mode = message.body["effect"].public_communication
        self.emit(
            "communication.public",
            actor=message.body.get("role") or "communication",
            mode=mode,
            decision=message.body.get("decision"),
            by=message.body.get("by"),
            partners_aligned=mode == "coordinated" and bool(self.state.partners_attributed),
        )
