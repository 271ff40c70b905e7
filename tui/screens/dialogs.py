"""The console's dialogs: an inject card, a decision, a note, a contingency inject, help."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from simulator.engine.control import PendingDecision
from simulator.scenario.effects import describe_effect
from simulator.scenario.models import Inject, Objective, Scenario
from simulator.scenario.regime import law_of
from simulator.text import visible

from ..widgets import cell

TLP_STYLES = {"red": "bold white on red", "amber": "bold black on dark_orange",
              "amber+strict": "bold black on dark_orange", "green": "bold black on green",
              "clear": "bold black on white"}


def words(text: str | None) -> str:
    """Text from a scenario or a person, on screen: controls shown as escapes."""
    return visible(text or "")


class InjectCard(ModalScreen[bool]):
    """An inject, large enough to read out to the room; dismissed with True when every card
    still waiting should be closed too (a clock run fast delivers many)."""

    BINDINGS = [Binding("escape,enter,space", "dismiss", "Done", show=True),
                Binding("x", "close_all", "Close all cards", show=True)]

    def __init__(self, inject: Inject, clock: str, by: str | None = None,
                 more: int = 0) -> None:
        super().__init__(classes="card-screen")
        self.inject = inject
        self.clock = clock
        self.by = by
        self.more = more

    def compose(self) -> ComposeResult:
        i = self.inject
        with VerticalScroll(id="card"):
            head = Text()
            head.append(f" TLP:{i.tlp.upper()} ", TLP_STYLES.get(i.tlp, "reverse"))
            head.append(f"  {i.id}  ·  {self.clock}  ·  {i.mode}", "bold")
            if self.by and self.by not in ("exercise_control", "msel"):
                head.append(f"  ·  played by {words(self.by)}", "italic")
            yield Static(head, id="card-head")
            yield Static(Text(f"From {i.from_}  →  to {', '.join(i.to)}"), id="card-route")
            yield Static(Text(words(" ".join(i.synopsis.split())), "bold"), id="card-synopsis")
            if i.content:
                yield Static(Text(words(i.content.strip())), id="card-content")
            if i.expected_actions:
                actions = Text("Expected actions\n", "bold")
                for action in i.expected_actions:
                    who = f" ({action.by})" if action.by else ""
                    actions.append(f"  • {words(action.text)}{who}\n")
                yield Static(actions, id="card-actions")
            if i.effects:
                # what the inject makes true in the run, as it is read out
                effects = Text("In the run\n", "bold")
                for effect in i.effects:
                    effects.append(f"  • {words(describe_effect(effect))}\n")
                yield Static(effects, id="card-effects")
            more = (f" · {self.more} more card(s) waiting; x closes them all (the MSEL tab "
                    "lists every inject delivered)") if self.more else ""
            yield Static(Text(f"Enter or Esc: done{more}", "dim"), id="card-foot")

    def action_dismiss(self, result: bool | None = None) -> None:  # type: ignore[override]
        self.dismiss(False)

    def action_close_all(self) -> None:
        self.dismiss(True)


@dataclass(frozen=True)
class DecisionEntry:
    point: str
    option: str
    by: str
    rationale: str | None


class DecisionDialog(ModalScreen[DecisionEntry | None]):
    """The option a live role took, who decided, and why."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Record")]

    def __init__(self, pending: PendingDecision, clock: Callable[[float], str],
                 role_name: str, by: str) -> None:
        super().__init__(classes="dialog-screen")
        self.pending = pending
        self.clock = clock
        self.role_name = role_name
        self.by = by

    def compose(self) -> ComposeResult:
        point = self.pending.point
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text(f"Decision {point.id} · for {words(self.role_name)}", "bold"))
            yield Static(Text(words(" ".join(point.prompt.split()))), id="decision-prompt")
            due = ("no deadline" if self.pending.deadline is None
                   else f"deadline {self.clock(self.pending.deadline)}")
            yield Static(Text(f"Opened {self.clock(self.pending.opened)} · {due} · default: "
                              f"{point.default}", "dim"), id="decision-deadline")
            with RadioSet(id="decision-options"):
                for option in point.options:
                    label = f"{option.id}: {option.label}"
                    if option.id == point.default:
                        label += "  (default)"
                    yield RadioButton(cell(label), value=option.id == point.default)
            yield Label("Decided by")
            yield Input(self.by, id="decision-by")
            yield Label("Rationale (what the players said)")
            yield TextArea(id="decision-rationale")
            with Horizontal(classes="buttons"):
                yield Button("Record (ctrl+s)", variant="primary", id="decision-save")
                yield Button("Cancel (esc)", id="decision-cancel")

    def on_mount(self) -> None:
        self.query_one("#decision-options", RadioSet).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "decision-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        options = self.query_one("#decision-options", RadioSet)
        index = options.pressed_index
        if index < 0:
            self.notify("choose an option", severity="error")
            return
        by = self.query_one("#decision-by", Input).value.strip()
        if not by:
            self.notify("say who decided", severity="error")
            return
        rationale = self.query_one("#decision-rationale", TextArea).text.strip() or None
        point = self.pending.point
        self.dismiss(DecisionEntry(point.id, point.options[index].id, by, rationale))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NoteEntry:
    text: str
    by: str
    kind: str | None
    objectives: tuple[str, ...]


class NoteDialog(ModalScreen[NoteEntry | None]):
    """An observation at the current simulated time, tagged with objectives."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, clock: str, objectives: Sequence[Objective], author: str) -> None:
        super().__init__(classes="dialog-screen")
        self.clock = clock
        self.objectives = objectives
        self.author = author

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text(f"Note at {self.clock}", "bold"))
            yield TextArea(id="note-text")
            with Horizontal(classes="row"):
                yield Input(self.author, placeholder="author", id="note-by")
                yield Select([("strength", "strength"), ("area for improvement", "improvement"),
                              ("note", "note")], value="note", allow_blank=False,
                             id="note-kind")
            yield Label("About (space to tag)")
            yield SelectionList[str](
                *[(cell(f"{o.id}: {o.capability}"), o.id) for o in self.objectives],
                id="note-objectives",
            )
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="note-save")
                yield Button("Cancel (esc)", id="note-cancel")

    def on_mount(self) -> None:
        self.query_one("#note-text", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text.strip()
        if not text:
            self.notify("the note is empty", severity="error")
            return
        by = self.query_one("#note-by", Input).value.strip() or "evaluator"
        kind = self.query_one("#note-kind", Select).value
        tags = tuple(self.query_one("#note-objectives", SelectionList).selected)
        self.dismiss(NoteEntry(text, by, kind if isinstance(kind, str) else None, tags))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Chooser(ModalScreen[str | None]):
    """Pick one of several things (a contingency inject, a waiting decision)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], empty: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.choices = choices
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(Text(self.title_text, "bold"))
            if self.choices:
                yield OptionList(*[Option(cell(label), id=key) for key, label in self.choices],
                                 id="chooser")
            else:
                yield Static(Text(self.empty, "dim"))
            yield Static(Text("Enter: choose · Esc: close", "dim"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    BINDINGS = [Binding("escape,n", "no", "No"), Binding("y", "yes", "Yes")]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog small"):
            yield Static(Text(self.question, "bold"))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


def keys_table(bindings: Sequence[tuple[str, str]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, what in bindings:
        table.add_row(key, what)
    return table


class Briefing(ModalScreen[None]):
    """One screen before the clock starts: the scenario, objectives, roles and keys."""

    BINDINGS = [Binding("escape,enter,space", "dismiss", "Close")]

    def __init__(self, scenario: Scenario, session: str, seed: int, live: Sequence[str],
                 keys: Sequence[tuple[str, str]], resumed_at: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.scenario = scenario
        self.session = session
        self.seed = seed
        self.live = live
        self.keys = keys
        self.resumed_at = resumed_at

    def compose(self) -> ComposeResult:
        meta = self.scenario.metadata
        with VerticalScroll(id="briefing", classes="dialog wide"):
            yield Static(Text(words(meta.title), "bold"), id="briefing-title")
            where = (f"resumed at {self.resumed_at}" if self.resumed_at
                     else f"starts {meta.start:%d %b %Y %H:%M} UTC, paused at D+0")
            yield Static(Text(f"session {words(self.session)} · seed {self.seed} · {where} · "
                              f"TLP:{meta.tlp.upper()}", "dim"))
            yield Static(Text(words(" ".join(meta.description.split()))))
            yield Static(Text.assemble(("Council Presidency: ", "bold"),
                                       words(meta.presidency_text())))
            yield Static(Text.assemble(("Law in force: ", "bold"),
                                       law_of(self.scenario).words(meta.duration)))
            objectives = Table.grid(padding=(0, 1))
            objectives.add_column(style="bold", no_wrap=True)
            objectives.add_column()
            for o in self.scenario.objectives:
                objectives.add_row(cell(o.id), Text.assemble(
                    cell(o.text), " ", cell(f"({o.capability})", "dim")))
            yield Static(Text("Objectives", "bold underline"))
            yield Static(objectives)
            roles = Text()
            for role in self.scenario.roles:
                live = role.id in self.live or role.body in self.live
                roles.append(f"  {'● live' if live else '○ policy'}  ", "green" if live else "dim")
                roles.append(f"{words(role.name)} ({role.id})\n")
            if not self.scenario.roles:
                roles.append("  no player roles: every decision follows the scenario's policies\n")
            yield Static(Text("Roles", "bold underline"))
            yield Static(roles)
            yield Static(Text("Keys", "bold underline"))
            yield Static(keys_table(self.keys))
            yield Static(Text("Space or Enter: close; then Space starts the clock.", "bold"))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)


class Help(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,enter,q", "dismiss", "Close")]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog wide"):
            yield Static(Text("Keys", "bold"))
            yield Static(keys_table(self.keys))
            yield Static(Text("Every key is also in the command palette (ctrl+p).", "dim"))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(None)
