"""The outside world that is not a partner: vendors' disclosures and patches, the media, and
whatever else a scenario scripts (``external_events``; docs/machinery.md section 9, Log4Shell).

Each event happens when its trigger fires, with its ``probability``. What it changes is read
by others from the log: a disclosure gives entities indicators and starts the CSIRTs network's
technical exchange; a patch slows the spread of waves that exploit a vulnerability or supply
chain; a media leak helps FIMI narratives travel.

An MSEL inject can state such a disclosure too (its ``public_disclosure`` effect): the same
event, with the inject's id as its subject, at the moment the inject is delivered, and with the
same consequences.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.kinds import EXTERNAL_EVENT_KINDS
from simulator.scenario.models import ExternalEvent

_ACTORS = {"vendor_disclosure": "vendor", "patch_release": "vendor", "media_leak": "media"}
#: the external event type an inject's ``public_disclosure`` is, by who makes it public
_DISCLOSURES = {"vendor": "vendor_disclosure", "media": "media_leak"}


class Outside(Actor):
    scope = "outside"

    def wire(self) -> None:
        self.on("effect.public_disclosure", self._disclosed)

    def start(self) -> None:
        for event in self.scenario.external_events:
            if event.type in ("allied_attribution", "partner_sanctions"):
                continue  # partners.py plays these
            self.kernel.at_or_when(event.at, event.when, lambda e=event: self._happen(e))

    def _happen(self, event: ExternalEvent) -> None:
        if self.rng.random() >= event.probability:
            return
        actor = f"partner.{event.partner}" if event.partner else _ACTORS.get(event.type, "outside")
        self.emit(
            EXTERNAL_EVENT_KINDS[event.type],
            subject=event.id,
            actor=actor,
            type=event.type,
            description=event.description,
        )

    def _disclosed(self, message: Message) -> None:
        """An inject's ``public_disclosure``: certain, since the inject says it happened."""
        spec = message.body["effect"].public_disclosure
        type_ = _DISCLOSURES[spec.by]
        self.emit(
            EXTERNAL_EVENT_KINDS[type_],
            subject=message.body.get("inject"),
            actor=_ACTORS[type_],
            type=type_,
            description=spec.description or message.body.get("synopsis") or type_,
        )
