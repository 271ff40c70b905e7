"""Affected essential and important entities of one Member State: NIS2 Art 23.

Each compromised entity suffers the wave's impact (rising to its peak, then recovering),
becomes aware of the incident after a stochastic detection time, and, if the incident is
significant for it (Art 23(1) and (3)), from *awareness* runs the reporting clocks of Art 23(4):
early warning within 24 hours, incident notification within 72 hours, final report within one
month of the notification. Each report is on time with the
scenario's compliance probability; a late one is sent after its deadline, and the missed
deadline is an event at the moment it passes. Under the law of an earlier start
(``machinery.legal_regime``, docs/machinery.md section 12) there is one notification "without
undue delay" (NIS1 Art 14(3), 16(3), in the sectors NIS1 covered) or, where no EU law obliged
the entity, a voluntary one that may never come; neither has a deadline to miss.

Shared indicators (CSIRTs network) or a vendor's disclosure shorten detection by
``machinery.csirts_network.detection_speedup`` and let entities that would never have noticed
find the compromise; deployed Reserve providers shorten recovery (Cyber Solidarity Act).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.kernel import Actor, Kernel, Message
from simulator.engine.records import Event
from simulator.scenario.reference import OUTSIDE_NIS2
from simulator.scenario.regime import law_of

HOUR = 60.0
DAY = 24 * HOUR
#: NIS2 Art 23(4): (a) 24 h and (b) 72 h from awareness, (d) one month after the notification
DEADLINES = {"early_warning": DAY, "notification": 3 * DAY, "final_report": 30 * DAY}
_WEIGHT = {"low": 0.25, "medium": 0.5, "high": 0.75, "critical": 1.0}


@dataclass(eq=False, slots=True)
class Entity:
    id: str
    wave: str
    sector: str
    weight: float
    peak: float
    significant: bool
    #: disrupted at or above the threshold, or a risk to life: a significant impact on its
    #: Member State (NIS2 Art 6(7)), which data theft or a loss alone are not
    disruptive: bool
    disruption: float = 0.0
    detected: bool = False
    detect_at: float = float("inf")
    peaked: bool = False
    recovered: bool = False
    recover_at: float = float("inf")


class Entities(Actor):
    #: what entity ids begin with; their reports' and compromises' topics
    prefix: str
    compromise_topic: str

    def __init__(self, kernel: Kernel, member_state: str) -> None:
        self.member_state: str | None = member_state
        self.scope = f"{member_state}.entities"
        self.prefix = member_state
        self.compromise_topic = f"{member_state}.entities.compromise"
        self.report_topic = f"{member_state}.csirt.report"
        super().__init__(kernel)

    def wire(self) -> None:
        self.entities: list[Entity] = []
        self.waves = {w.id: w for w in self.scenario.campaign.waves}
        self.timings = self.scenario.timings
        self.speedup = self.scenario.machinery.csirts_network.detection_speedup
        self.classification = self.scenario.machinery.classification
        self.law = law_of(self.scenario)
        self.indicators = False
        self.reserve = False
        self.loss = 0.0
        # running sums for the Member State's impact level (weighted mean disruption)
        self.weights = 0.0
        self.weighted = 0.0
        self.disrupted = 0
        self.significant = False
        self.significant_impact = False
        self.risk_to_life = False
        self.on(self.compromise_topic, self._compromise)
        self.on("csirts_network.indicators_shared", self._indicators)
        self.on("external.vendor_disclosure", self._indicators)
        self.on("reserve.deployed", self._reserve)
        self.on("effect.detect", self._detected_by_inject)

    def outgoing(self) -> tuple[str, ...]:
        return (self.report_topic,)

    # -- compromise and impact --------------------------------------------------------------

    def _compromise(self, message: Message) -> None:
        wave = self.waves[message.body["wave"]]
        severity = float(message.body["severity"])
        impact, ms = wave.impact, self.member_state
        sectors = message.body["sectors"]
        threshold = self.classification
        start = len(self.entities)
        for i in range(message.body.get("entities", impact.entities_per_member_state)):
            sector = sectors[i % len(sectors)]
            criticality = self.kernel.criticality(ms, sector)
            disruptive = severity >= threshold.significant_disruption or impact.risk_to_life
            significant = sector not in OUTSIDE_NIS2 and (
                # an organisation NIS2 does not cover has no significant incident to report
                disruptive
                or impact.loss_eur_per_entity > threshold.significant_loss_eur
                or impact.data_exfiltration
            )
            entity = Entity(
                f"{self.prefix}-{wave.id}-{start + i + 1}", wave.id, sector, _WEIGHT[criticality],
                severity, significant, disruptive,
            )
            self.entities.append(entity)
            self.weights += entity.weight
            self.emit(
                "entity.compromised",
                subject=wave.id,
                member_state=ms,
                entity=entity.id,
                sector=sector,
                criticality=criticality,
            )
            self.later(self.sample(impact.time_to_peak), self._peak, entity)
            self._schedule_detection(entity, wave)

    def _peak(self, entity: Entity) -> None:
        entity.disruption = entity.peak
        entity.peaked = True
        if entity.peak > 0:
            self.weighted += entity.weight * entity.peak
            self.disrupted += 1
        wave = self.waves[entity.wave]
        self.loss += wave.impact.loss_eur_per_entity
        if entity.significant:
            self.significant = True
            self.risk_to_life = self.risk_to_life or wave.impact.risk_to_life
            self.significant_impact = self.significant_impact or entity.disruptive
        self._impact(entity.wave)
        recovery = self.sample(wave.impact.recovery)
        if self.reserve:
            recovery *= 1 - self.scenario.machinery.reserve.recovery_speedup
        entity.recover_at = self.now + recovery
        self.later(recovery, self._recover, entity, entity.recover_at)

    def _recover(self, entity: Entity, due: float) -> None:
        if entity.recovered or due != entity.recover_at:
            return
        entity.recovered = True
        if entity.disruption > 0:
            self.weighted -= entity.weight * entity.disruption
            self.disrupted -= 1
        entity.disruption = 0.0
        self.emit(
            "entity.recovered", subject=entity.wave, member_state=self.member_state,
            entity=entity.id,
        )
        self._impact(entity.wave)

    def _impact(self, wave: str) -> None:
        level = max(0.0, self.weighted / self.weights) if self.disrupted else 0.0
        self.emit(
            "adversary.impact",
            subject=wave,
            member_state=self.member_state,
            level=round(level, 4),
            entities_disrupted=self.disrupted,
            entities_compromised=len(self.entities),
            loss_eur=self.loss,
            significant=self.significant,
            significant_impact=self.significant_impact,
            risk_to_life=self.risk_to_life,
        )

    def _reserve(self, event: Event) -> None:
        if event.member_state != self.member_state or self.reserve:
            return
        self.reserve = True
        factor = 1 - self.scenario.machinery.reserve.recovery_speedup
        for entity in self.entities:
            if entity.peaked and not entity.recovered:
                entity.recover_at = self.now + (entity.recover_at - self.now) * factor
                self.later(entity.recover_at - self.now, self._recover, entity, entity.recover_at)

    # -- detection and the NIS2 clocks ------------------------------------------------------

    def _schedule_detection(self, entity: Entity, wave: object) -> None:
        detection = wave.detection  # type: ignore[attr-defined]
        if self.rng.random() >= detection.probability and not self.indicators:
            return  # it does not notice by itself; shared indicators may still reveal it
        delay = self.sample(detection.time_to_detect)
        if self.indicators:
            delay *= 1 - self.speedup
        entity.detect_at = self.now + delay
        self.later(delay, self._detect, entity)

    def _indicators(self, event: Event) -> None:
        if self.indicators:
            return
        self.indicators = True
        factor = 1 - self.speedup
        for entity in self.entities:
            if entity.detected:
                continue
            if entity.detect_at == float("inf"):
                delay = self.sample(self.waves[entity.wave].detection.time_to_detect) * factor
            else:
                delay = (entity.detect_at - self.now) * factor
            entity.detect_at = self.now + delay
            self.later(delay, self._detect, entity)

    def _detected_by_inject(self, message: Message) -> None:
        """An inject states that entities here found the intruder (its ``detect`` effect): the
        compromised ones not yet aware become aware now, those compromised first if it says
        how many. Nothing compromised here yet: nothing to find."""
        spec = message.body["effect"].detect
        if spec.member_state != self.member_state:
            return
        unaware = [entity for entity in self.entities if not entity.detected]
        for entity in unaware[: spec.entities]:
            self._detect(entity)

    def _detect(self, entity: Entity) -> None:
        if entity.detected:
            return
        entity.detected = True
        ms, t = self.member_state, self.timings
        self.emit(
            "entity.detected", subject=entity.wave, member_state=ms, entity=entity.id,
            sector=entity.sector,
        )
        if not entity.significant:
            # NIS2 Art 23(1) obliges entities to report significant incidents only: one that is
            # not significant runs no reporting clock and misses no deadline
            return
        basis = self._reporting(entity)
        if basis != "nis2":
            # the law in force at the start set no deadline (docs/machinery.md section 12):
            # NIS1's one notification "without undue delay", or a voluntary one where no EU
            # law obliged the entity (before NIS1, or a sector NIS1 did not cover); no early
            # warning, no final report, no deadline to miss
            if basis == "nis1" or self.rng.random() < t.voluntary_notification:
                self.later(self.sample(t.nis1_notification), self._notify, entity, basis)
            return
        awareness = self.now
        warning = self._clock(entity, "early_warning", awareness, t.early_warning,
                              t.early_warning_compliance)
        notified = self._clock(entity, "notification", awareness, t.notification,
                               t.notification_compliance, after=warning)
        self._clock(entity, "final_report", notified, t.final_report, t.final_report_compliance,
                    after=notified)

    def _clock(
        self,
        entity: Entity,
        report: str,
        start: float,
        distribution: object,
        compliance: float,
        after: float = 0.0,
    ) -> float:
        """Schedule one report; return when it is sent (absolute time)."""
        deadline = DEADLINES[report]
        on_time = self.rng.random() < compliance
        if on_time:
            delay = min(self.sample(distribution), deadline)
        else:
            delay = deadline * (1 + self.rng.uniform(0.05, 1.0))
        sent = max(start + delay, after + 1.0)
        due = start + deadline
        if sent > due:
            on_time = False
            self.later(due - self.now, self._missed, entity, report, due)
        self.later(sent - self.now, self._report, entity, report, due, on_time)
        return sent

    def _reporting(self, entity: Entity) -> str:
        """How the law in force makes this entity report (``Law.basis``): the Union entities
        report to CERT-EU under their own Regulation (EU) 2023/2841, with NIS2's clocks."""
        if self.member_state is None:
            return "nis2"
        return self.law.basis(entity.sector)

    def _notify(self, entity: Entity, basis: str) -> None:
        """A notification without a deadline: neither on time nor late."""
        self.emit(
            "entity.notification", subject=entity.wave, member_state=self.member_state,
            entity=entity.id, sector=entity.sector, due=None, on_time=None, basis=basis,
        )
        self.send(self.report_topic, entity=entity.id, wave=entity.wave, report="notification",
                  sector=entity.sector)

    def _missed(self, entity: Entity, report: str, due: float) -> None:
        self.emit(
            "entity.deadline_missed", subject=entity.wave, member_state=self.member_state,
            entity=entity.id, report=report, due=round(due, 4),
        )

    def _report(self, entity: Entity, report: str, due: float, on_time: bool) -> None:
        self.emit(
            f"entity.{report}", subject=entity.wave, member_state=self.member_state,
            entity=entity.id, sector=entity.sector, due=round(due, 4), on_time=on_time,
        )
        self.send(self.report_topic, entity=entity.id, wave=entity.wave, report=report,
                  sector=entity.sector)


class UnionEntities(Entities):
    """Union institutions, bodies and agencies hit by a wave (``targets.eu_institutions``):
    CERT-EU's constituency under Regulation (EU) 2023/2841. They suffer and recover as other
    entities do; their significant incidents are reported to CERT-EU (Art 21: early warning
    within 24 hours, notification within 72 hours, final report within a month, the same
    clocks as NIS2), not to a national CSIRT, and they belong to no Member State."""

    def __init__(self, kernel: Kernel) -> None:
        self.member_state = None
        self.scope = "eu_institutions.entities"
        self.prefix = "EUI"
        self.compromise_topic = "eu_institutions.entities.compromise"
        self.report_topic = "cert_eu.report"
        Actor.__init__(self, kernel)
