"""The Council Presidency over time: when it rotates, and who held or will hold it.

The Presidency of the Council (but for the Foreign Affairs Council) is held by the Member States
in equal rotation (Art 16(9) TEU), each for six months, in pre-established groups of three, the
trios (European Council Decision 2009/881/EU, Art 1). The Council sets the order: Decision
2007/5/EC, Euratom from 1 January 2007, carried over by Decision 2009/908/EU and, from 1 July
2017, replaced by Decision (EU) 2016/1316 (the United Kingdom gave up its term of July 2017 and
Croatia was added), which runs to 31 December 2030. The order from 1 January 2031 is for the
Council to decide before 31 December 2029: it is not known yet. Terms begin on 1 January and
1 July; the simulator counts them from 00:00 UTC.

A scenario names its own Presidency (``metadata.presidency``): a fictional one is as valid as
the real one. The Council's order below only suggests the real successor in the validator's
messages, and lets the history tests check that a replay names the real holder.
"""

from __future__ import annotations

from datetime import UTC, datetime

#: the order of Presidencies, first half of 2007 to second half of 2030, one code per
#: six-month term (Greece is GR, the format's ISO code; the Council writes EL). Sources:
#: Council Decision 2007/5/EC, Euratom (OJ L 1, 4.1.2007, p. 11) to June 2017, Council
#: Decision (EU) 2016/1316 (OJ L 208, 2.8.2016, p. 42) from July 2017; checked against the
#: Council's press release of 26 July 2016 on the revised order
_ORDER_2007 = (
    "DE", "PT", "SI", "FR", "CZ", "SE", "ES", "BE", "HU", "PL", "DK", "CY", "IE", "LT", "GR",
    "IT", "LV", "LU", "NL", "SK", "MT",
)
_ORDER_2017 = (
    "EE", "BG", "AT", "RO", "FI", "HR", "DE", "PT", "SI", "FR", "CZ", "SE", "ES", "BE", "HU",
    "PL", "DK", "CY", "IE", "LT", "GR", "IT", "LV", "LU", "NL", "SK", "MT",
)
FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR = 2007, 2030

#: (year, half) -> the Member State holding the Presidency then; half 1 from 1 January, 2 from
#: 1 July
COUNCIL_ORDER: dict[tuple[int, int], str] = {
    (FIRST_KNOWN_YEAR + i // 2, i % 2 + 1): code
    for i, code in enumerate((*_ORDER_2007, *_ORDER_2017))
}
assert max(COUNCIL_ORDER) == (LAST_KNOWN_YEAR, 2), "the Council's order out of step"


def term_of(moment: datetime) -> tuple[int, int]:
    """The six-month term a moment falls in: (year, 1) from 1 January, (year, 2) from 1 July."""
    moment = moment.astimezone(UTC)
    return moment.year, 1 if moment.month < 7 else 2


def term_start(term: tuple[int, int]) -> datetime:
    year, half = term
    return datetime(year, 1 if half == 1 else 7, 1, tzinfo=UTC)


def next_term(term: tuple[int, int]) -> tuple[int, int]:
    year, half = term
    return (year, 2) if half == 1 else (year + 1, 1)


def rotations(start: datetime, end: datetime) -> list[datetime]:
    """The moments the Presidency changes hands strictly between ``start`` and ``end``: each
    1 January and 1 July, 00:00 UTC (a run that starts or ends on one crosses none there)."""
    found = []
    term = next_term(term_of(start))
    while (moment := term_start(term)) < end:
        found.append(moment)
        term = next_term(term)
    return found


def is_rotation(moment: datetime) -> bool:
    """Whether a moment is the start of a Presidency: 1 January or 1 July, 00:00 UTC."""
    moment = moment.astimezone(UTC)
    return moment == term_start(term_of(moment))


def council_holder(moment: datetime) -> str | None:
    """Who holds the Presidency at ``moment`` by the Council's order; None outside 2007-2030."""
    return COUNCIL_ORDER.get(term_of(moment))


def order_source(moment: datetime) -> str:
    """The Council decision that set who holds the Presidency at ``moment``."""
    return "Decision (EU) 2016/1316" if term_of(moment) >= (2017, 2) else "Decision 2007/5/EC"


def day(moment: datetime) -> str:
    """``1 January 2027``: a rotation date as people write it."""
    return f"{moment.day} {moment:%B %Y}"
