"""The outside world that is not a partner: vendors' disclosures and patches, the media, and
whatever else a scenario scripts (``external_events``; docs/machinery.md section 9, Log4Shell).

Each event happens when its trigger fires, with its ``probability``. What it changes is read
by others from the log: a disclosure gives entities indicators and starts the CSIRTs network's
technical exchange; a patch slows the spread of waves that exploit a vulnerability or supply
chain; a media leak helps FIMI narratives travel.

An MSEL inject can state such a disclosure too (its ``public_disclosure`` effect): the same
event, with the inject's id as its subject, at the moment the inject is delivered, and with the
same consequences.

Two statements about the incident itself (docs/machinery.md section 6):

- a security vendor's public attribution (``vendor_attribution``: Microsoft, Mandiant ...) is
  intelligence EU INTCEN weighs, with less weight than a partner's; it is never a basis for EU
  language, which rests on what Member States and partners attribute;
- a partner's or a vendor's statement that the incident is not an attack (``not_an_attack``: a
  faulty update, a technical outage; the vendor said so within hours on 19 July 2024) ends the
  attribution track: from then on EU INTCEN assesses no threat, partners attribute nothing of
  their own, and EU language that attributes is disproportionate.
"""

from __future__ import annotations

from simulator.engine.kernel import Actor, Message
from simulator.kinds import EXTERNAL_EVENT_KINDS
from simulator.scenario.models import ExternalEvent

_ACTORS = {
    "vendor_disclosure": "vendor", "vendor_attribution": "vendor", "not_an_attack": "vendor",
    "patch_release": "vendor", "media_leak": "media",
}
#: the external event type an inject's ``public_disclosure`` is, by who makes it public
_DISCLOSURES = {"vendor": "vendor_disclosure", "media": "media_leak"}


class Outside(Actor):
    scope = "outside"

    def wire(self) -> None:
        self.partners = {p.id: p for p in self.scenario.world.partners}
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
        extra: dict[str, object] = {}
        if event.type == "vendor_attribution":
            grade = event.attribution_grade
            extra = {"vendor": event.vendor, "attribution_grade": 3 if grade is None else grade}
        elif event.type == "not_an_attack":
            partner = self.partners.get(event.partner or "")
            extra = {"by": partner.name if partner else event.vendor, "partner": event.partner}
        self.emit(
            EXTERNAL_EVENT_KINDS[event.type],
            subject=event.id,
            actor=actor,
            type=event.type,
            description=event.description,
            **extra,
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
