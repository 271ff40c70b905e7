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

#: C0 controls but tab and line feed, DEL, C1 controls, bidirectional embeddings, overrides
#: and isolates, zero-width characters and the byte-order mark inside text, line and paragraph
#: separators (Unicode's own line breaks, which split a line where no reader expects it), and
#: lone surrogates (not Unicode at all: they cannot be written as UTF-8)
_INVISIBLE = (
    "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\ud800-\udfff"
)
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")

#: the same, with tab and line feed too: for text that must stay on one line
UNSAFE_INLINE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")

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
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


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
    a formula (``=``, ``+``, ``-``, ``@``, a tab or carriage return, also after leading spaces,
    which some imports trim) gets a leading apostrophe, as OWASP advises. Apply it last, after
    any normalising of white space, so nothing can strip the guard again."""
    stripped = cell.lstrip(" ")
    if cell[:1] in _FORMULA_START or stripped[:1] in _FORMULA_START:
        return "'" + cell
    return cell
