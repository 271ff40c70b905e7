"""All text stays text: what a scenario, a log or an evaluators' file says is shown as written
on a terminal, in a spreadsheet and in a Markdown report, never obeyed as markup, a formula,
a terminal control or a link."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.report.render import md_escape
from simulator.text import spreadsheet_safe, visible

from ..conftest import ROOT, run_ttx

MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
MARKUP = "[/x] [link=https://evil.example]click[/link] [blink]b[/blink] :warning: [bold]"


def with_title(folder: Path, title: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  title: .*$", lambda _: "  title: " + json.dumps(title), text,
                  count=1)
    path = folder / "titled.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["overview", "msel", "run", "score"])
def test_rich_markup_in_scenario_text_is_shown_as_written(tmp_path, command):
    """A title of ``[/x]`` crashed ``overview``, ``msel`` and ``run`` (after ``run`` had
    written its log); ``[link=...]`` and ``[blink]`` were obeyed. Now they are words."""
    scenario = with_title(tmp_path, MARKUP)
    log = tmp_path / "run.jsonl"
    if command == "score":
        assert run_ttx("run", str(scenario), "--log", str(log)).returncode == 0
        args = ["score", str(log), "--scenario", str(scenario)]
    elif command == "run":
        args = ["run", str(scenario), "--log", str(log)]
    else:
        args = [command, str(scenario)]
    result = run_ttx(*args)
    assert result.returncode == 0, result.stderr
    flat = " ".join(result.stdout.split())  # tables may wrap a long title
    assert "[/x] [link=https://evil.example]click[/link]" in flat
    assert ":warning:" in flat and "\u26a0" not in flat
    assert "\x1b" not in result.stdout


def test_terminal_controls_from_a_log_are_shown_not_obeyed(tmp_path):
    """A log edited to carry ESC sequences (set the window title, clear the screen, an OSC 8
    hyperlink) prints them as visible escapes in ``ttx score`` and the Markdown report."""
    log = tmp_path / "run.jsonl"
    assert run_ttx("run", str(MINIMAL), "--log", str(log)).returncode == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    evil = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
    for record in records:
        if record["kind"] == "run.started":
            record["payload"]["title"] = evil
        if record["kind"] == "decision.made":
            record["payload"]["rationale"] = evil
    log.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    scored = run_ttx("score", str(log), "--scenario", str(MINIMAL))
    report = tmp_path / "aar.md"
    reported = run_ttx("report", str(log), "--scenario", str(MINIMAL), "--out", str(report))
    for result in (scored, reported):
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout + result.stderr
    assert "\x1b" not in report.read_text(encoding="utf-8")


@given(st.text())
def test_visible_text_has_no_control_left(text):
    """Whatever a log holds, what is printed from it has no terminal control and no
    invisible formatting character, and plain text is unchanged."""
    import unicodedata

    from simulator.text import BLANKS, UNSAFE_CATEGORIES

    shown = visible(text)
    assert not any(unicodedata.category(c) in UNSAFE_CATEGORIES and c not in "\t\n"
                   for c in shown)
    shown.encode("utf-8")  # lone surrogates are escaped too: the text can be written
    if text.isprintable() and not BLANKS & set(text):
        assert shown == text


# -- spreadsheets --------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", " =1+1", "  @cmd",
                                  "\u3000=1", "\u00a0=1+1", "\uff1d1+1"])
def test_a_cell_that_would_start_a_formula_is_guarded(cell):
    """OWASP's rule: a leading apostrophe, so Excel and LibreOffice show the text."""
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["D+1 14:30", "INJ-01", "email", "TLP:AMBER", ""])
def test_ordinary_cells_are_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


def test_the_msel_csv_holds_no_formula(tmp_path):
    """A synopsis of ``" =1+1"`` was normalised into ``=1+1``, a live formula, in
    ``ttx msel --out``; every cell is now guarded after normalising."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("synopsis: First", 'synopsis: " =HYPERLINK(\\"https://evil.example\\")"')
    scenario = tmp_path / "formula.yaml"
    scenario.write_text(text, encoding="utf-8")
    out = tmp_path / "msel.csv"
    result = run_ttx("msel", str(scenario), "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"https://evil.example\")" in cells
    assert not any(cell.lstrip()[:1] in ("=", "+", "-", "@") for cell in cells)
    printed = run_ttx("msel", str(scenario), "--csv")
    assert "'=HYPERLINK" in printed.stdout


# -- Markdown ------------------------------------------------------------------------------


def rendered(markdown: str) -> str:
    """Markdown as HTML by a renderer that links bare URLs and domains (markdown-it with
    linkify, GitHub-like), the strictest reader a report meets."""
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like").render(markdown)


LINKS = [
    "see https://evil.example/login now", "www.evil.example", "mail a@evil.example",
    "mailto:a@evil.example", "evil.example.eu/path", "evil.com", "x,evil.com", "(evil.com)",
    "//evil.com/login", "bücher.de", "пример.рф", "ｗｗｗ．evil．com", "evil.com\u200b",
    ";evil.com", "evil.com>", "evil.com*", "evil.com|x", "evil.com_", "<https://evil.example>",
    "![x](https://evil.example/i.png)", "[click](https://evil.example)", "xmpp:a@evil.example",
]


@pytest.mark.parametrize("text", LINKS)
def test_nothing_from_a_file_becomes_a_link_or_an_image_in_markdown(text):
    """Rendered by a linkifying renderer, a value from a scenario or a log forms no link and
    no image: URLs, addresses and domains are set as code, brackets are escaped."""
    html = rendered(f"| a | {md_escape(text)} |\n|---|---|\n\n{md_escape(text)}\n")
    assert "<a " not in html and "<img" not in html, html


@given(st.text(alphabet=st.sampled_from(list("ab.-/:@w<>[]()!|*_`\\ ,;é\u3002\uff0e")),
               max_size=40))
def test_no_text_at_all_becomes_a_link_in_markdown(text):
    """The property behind the cases above, over text made of the characters links are made
    of."""
    html = rendered(md_escape(text) + "\n")
    assert "<a " not in html and "<img" not in html, (text, html)


def test_the_markdown_report_links_only_its_own_charts(tmp_path):
    """The whole report, from a scenario and a log full of link-like text, rendered: the only
    links and images are the report's own two charts."""
    scenario = with_title(tmp_path, "Contact x,evil.com or (see //evil.com/login) or bücher.de")
    log = tmp_path / "run.jsonl"
    assert run_ttx("run", str(scenario), "--log", str(log)).returncode == 0
    out = tmp_path / "aar.md"
    result = run_ttx("report", str(log), "--scenario", str(scenario), "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = rendered(out.read_text(encoding="utf-8"))
    assert "<a " not in html
    assert re.findall(r'<img src="([^"]+)"', html) == ["aar-escalation.svg", "aar-impact.svg"]


def test_ordinary_words_stay_words_in_markdown():
    assert md_escape("EU-CyCLONe met at D+1 14:30, e.g. on 2.5 d") == \
        "EU-CyCLONe met at D+1 14:30, e.g. on 2.5 d"


def test_the_unsafe_characters_are_whole_unicode_categories():
    """Every control, format, surrogate and separator character is refused in scenario text
    and escaped from a log, and nothing else but a few blank fillers: the written-out ranges
    of simulator.text agree with this Python's Unicode database (unassigned code points in
    the ranges are format characters of later Unicode versions)."""
    import sys
    import unicodedata

    from simulator.text import BLANKS, UNSAFE, UNSAFE_CATEGORIES

    missing, extra = [], []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        wanted = (category in UNSAFE_CATEGORIES and char not in "\t\n") or char in BLANKS
        matched = UNSAFE.match(char) is not None
        if wanted and not matched:
            missing.append(f"U+{code:04X}")
        elif matched and not wanted and category != "Cn":
            extra.append(f"U+{code:04X}")
    assert not missing and not extra, (missing[:10], extra[:10])
    assert visible("\U000e0061") == "\\U000e0061"  # tag characters: unambiguous escapes
