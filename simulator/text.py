"""Text from files stays text: the characters that can act on a terminal or hide what a reader
sees, found once here for every reader and every output.

A scenario title or a log field can carry ESC sequences (clear the screen, set the window
title, OSC 8 hyperlinks), C1 controls that some terminals obey as well, and invisible
characters that change how text reads: the bidirectional overrides and isolates behind the
"Trojan Source" attack (CVE-2021-42574) and zero-width characters. Files people write
(scenarios, evaluators' files) refuse them with their place; what is printed from a log, which
the tool did not write by hand, shows them as visible escapes such as ``\\x1b`` or ``\\u202e``.
"""

from __future__ import annotations

import re
import unicodedata

#: Every character of Unicode's categories Cc (controls: C0 but tab and line feed, DEL, C1),
#: Cf (format: bidirectional embeddings, overrides and isolates, zero-width characters, the
#: byte-order mark inside text, soft hyphens, the invisible "tag" characters used to smuggle
#: text past a reader), Cs (lone surrogates: not Unicode at all, they cannot be written as
#: UTF-8), Zl and Zp (Unicode's own line and paragraph separators, which split a line where no
#: reader expects it), and the blank fillers that render as nothing (U+034F, the Hangul
#: fillers). Written out as ranges (Unicode 14, Python 3.11's; whole blocks where later
#: versions add format characters), since deriving them at start-up would cost a third of a
#: second; tests/hostile/test_text.py holds the ranges to the categories.
_INVISIBLE = (
    "\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u115f-\u1160"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ud800-\udfff\ufeff"
    "\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")

#: the same, with tab and line feed too: for text that must stay on one line
UNSAFE_INLINE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")

#: the categories ``UNSAFE`` holds whole, and the blank letters and marks it holds besides
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
BLANKS = frozenset("\u034f\u115f\u1160\u3164\uffa0")

_NAMES = {
    "\x1b": "ESC (escape)",
    "\x00": "NUL",
    "\r": "carriage return",
    "\x7f": "DEL",
    "\u202e": "right-to-left override",
    "\u202d": "left-to-right override",
    "\u200b": "zero-width space",
    "\ufeff": "zero-width no-break space (byte-order mark)",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}


def escape_char(char: str) -> str:
    """A character as it is written in Python or JSON: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def describe_char(char: str) -> str:
    """What a refused character is, for an error message: ``U+001B ESC (escape)``."""
    name = _NAMES.get(char)
    if name is None:
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            name = "control character"
        elif 0xD800 <= code <= 0xDFFF:
            name = "lone surrogate, not Unicode text"
        elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code == 0x061C:
            name = "bidirectional control"
        elif 0xE0000 <= code <= 0xE007F:
            name = "tag character, invisible"
        else:
            name = "invisible formatting character"
    return f"U+{ord(char):04X} {name}"


def find_unsafe(text: str) -> tuple[int, str] | None:
    """The first character that must not be in text people wrote, with its index."""
    found = UNSAFE.search(text)
    return (found.start(), found.group()) if found else None


def check_text(text: str) -> str:
    """A validator for text fields: the text, or ``ValueError`` naming the first unsafe
    character and where it is."""
    found = find_unsafe(text)
    if found is None:
        return text
    index, char = found
    line = text.count("\n", 0, index) + 1
    where = f"character {index + 1}" if line == 1 else f"line {line} of the text"
    raise ValueError(
        f"contains {describe_char(char)} at {where}; control and invisible formatting "
        "characters are not allowed in text (they can act on a terminal or hide what a "
        "reader sees)"
    )


def visible(text: str, inline: bool = False) -> str:
    """``text`` with every unsafe character shown as its escape (``\\x1b``), so that printing
    it cannot act on a terminal or hide anything; ``inline`` escapes tab and line feed too."""
    pattern = UNSAFE_INLINE if inline else UNSAFE
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: escape_char(m.group()), text)


#: what makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection")
_FORMULA_START = frozenset("=+-@\t\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that Excel and LibreOffice show as the text it is: a cell that would start
    a formula (``=``, ``+``, ``-``, ``@``, a tab or carriage return, also after leading white
    space, which some imports trim, and in full-width form) gets a leading apostrophe, as
    OWASP advises. Apply it last, after any normalising of white space, so nothing can strip
    the guard again."""
    # any white space (no-break and ideographic spaces too), and a full-width ``＝`` read as
    # ``=``: what one spreadsheet ignores or folds, another may not
    first = unicodedata.normalize("NFKC", cell.lstrip()[:1])
    if cell[:1] in _FORMULA_START or first in _FORMULA_START:
        return "'" + cell
    return cell


def spreadsheet_text(cell: str) -> str:
    """The text a cell written by :func:`spreadsheet_safe` holds: its guard taken off, by the
    same rule that put it on (a text that itself starts with an apostrophe and a formula
    character cannot be told from a guarded one, and reads back without the apostrophe)."""
    if cell[:1] == "'" and spreadsheet_safe(cell[1:]) == cell:
        return cell[1:]
    return cell
