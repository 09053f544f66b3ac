"""Pick a vetted sentence from the phrasebook by its meaning and insert it into the letter.

A Chinese-speaking operator reads the Chinese label (``label_zh``) and gets the
English sentence (or the Chinese one when the policy's letter language is zh),
its placeholders already filled from the case. Placeholders the case cannot
fill (``{carrier}``) stay visible and marked, so the operator fills them and
``placeholder_left`` flags any that are forgotten.

Keys: type to filter (the Chinese label, the English and Chinese text, the
category and the id; every word must match), up/down move in the list from the
filter box, tab goes to the list (j/k move there too), enter inserts the
highlighted sentence, esc cancels. The screen returns the filled sentence, or
None when cancelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appealdesk.i18n import N_, _, current_language
from appealdesk.letter.phrasebook import CATEGORIES, Phrase
from appealdesk.policy.templates import fill

_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")
LABEL_WORDS = 6  # the English "label" is the sentence's first words when the data has none
LABEL_MAX = 20  # cells: a longer label does not push every sentence to the right
PLACEHOLDER_STYLE = "bold black on yellow"


def category_name(category: str) -> str:
    names = {
        "root_cause": _("Root cause"),
        "action": _("Actions taken"),
        "prevention": _("Prevention"),
        "metrics": _("About the metrics"),
        "opening": _("Opening"),
        "closing": _("Closing"),
    }
    return names.get(category, category)


@dataclass(frozen=True)
class Entry:
    """One phrase as the picker shows it: the sentence already filled from the case."""

    phrase: Phrase
    sentence: str  # filled, in the letter's language; unfilled placeholders stay
    relevance: int  # 0: for this notification type, 1: for any type, 2: for other types

    @property
    def label(self) -> str:
        """The phrase's meaning in the interface language."""
        if current_language() == "zh":
            return self.phrase.label_zh
        label = getattr(self.phrase, "label", "")  # an English label, if the data has one
        if label:
            return label
        words = self.phrase.text.split()
        return " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")

    def haystack(self) -> str:
        p = self.phrase
        return " ".join((p.label_zh, p.text, p.zh, self.sentence, p.category,
                         category_name(p.category), p.id, " ".join(p.topics))).casefold()


def build_entries(phrases: list[Phrase], values: dict[str, str], *, language: str,
                  topic: str | None) -> list[Entry]:
    """Entries grouped by category (letter order); within one, the notification type's own
    sentences first, then the generic ones, then those written for other types."""

    def relevance(p: Phrase) -> int:
        if not p.topics:
            return 1
        if topic and any(t == topic or t in topic for t in p.topics):
            return 0
        return 2

    order = {c: i for i, c in enumerate(CATEGORIES)}
    entries = [Entry(p, fill(p.for_language(language), values), relevance(p)) for p in phrases]
    # sorted() is stable: the phrasebook's own order stays within a group.
    return sorted(entries, key=lambda e: (order.get(e.phrase.category, len(order)),
                                          e.relevance))


def matching(entries: list[Entry], query: str) -> list[Entry]:
    """The entries whose text contains every word of the query (any case)."""
    words = query.casefold().split()
    return [e for e in entries if all(w in e.haystack() for w in words)]


def marked(sentence: str, style: str = "") -> Text:
    """The sentence with its unfilled placeholders highlighted."""
    text = Text(sentence, style=style)
    for m in _PLACEHOLDER.finditer(sentence):
        text.stylize(PLACEHOLDER_STYLE, m.start(), m.end())
    return text


def option_prompt(entry: Entry, label_width: int = 0) -> Text:
    """One line: the label (padded to ``label_width`` cells so the sentences line up), then
    the sentence as it will be inserted."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("  ")
    if current_language() == "zh" or getattr(entry.phrase, "label", ""):
        label = entry.label
        text.append(label, style="bold")
        text.append(" " * (max(0, label_width - cell_len(label)) + 2))
        text.append_text(marked(entry.sentence, style="dim"))
    else:
        # No separate English label: the sentence's first words serve as one.
        words = entry.sentence.split(" ")
        head = " ".join(words[:LABEL_WORDS])
        text.append_text(marked(head, style="bold"))
        if len(words) > LABEL_WORDS:
            text.append(" ")
            text.append_text(marked(" ".join(words[LABEL_WORDS:]), style="dim"))
    return text


class _PhraseList(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", N_("Down"), show=False, id="phrases.down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="phrases.up"),
    ]


class PhrasePickerScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PhrasePickerScreen {
        align: center middle;
    }
    PhrasePickerScreen > #phrases {
        width: 96%;
        max-width: 140;
        height: 94%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    PhrasePickerScreen #phrases-filter {
        margin: 0;
    }
    PhrasePickerScreen #phrases-list {
        height: 1fr;
        border: none;
        padding: 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PhrasePickerScreen #phrases-list > .option-list--option-disabled {
        color: $accent;
        text-style: bold;
    }
    PhrasePickerScreen #phrases-detail {
        height: auto;
        max-height: 5;
        border-top: solid $surface-lighten-2;
    }
    PhrasePickerScreen #phrases-hint {
        height: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="phrases.cancel"),
        Binding("down", "move(1)", N_("Down"), show=False, id="phrases.next"),
        Binding("up", "move(-1)", N_("Up"), show=False, id="phrases.previous"),
    ]

    def __init__(self, phrases: list[Phrase], values: dict[str, str], *, language: str = "en",
                 topic: str | None = None, case_id: str = "") -> None:
        super().__init__()
        self.entries = build_entries(phrases, values, language=language, topic=topic)
        self.case_id = case_id
        self.shown: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="phrases") as box:
            box.border_title = _("Insert a phrase · {case_id}").format(case_id=self.case_id)
            yield Input(placeholder=_("Filter: meaning (中文), English words, category or id"),
                        id="phrases-filter")
            yield _PhraseList(id="phrases-list")
            yield Static("", id="phrases-detail")
            yield Static(_("↑↓ choose · tab: list (j/k) · enter: insert · esc: cancel"),
                         id="phrases-hint", markup=False)

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#phrases-filter", Input).focus()

    # -- the list ---------------------------------------------------------------------
    def _show(self, query: str) -> None:
        widget = self.query_one("#phrases-list", OptionList)
        self.shown = matching(self.entries, query)
        options: list[Option] = []
        category = None
        width = min(LABEL_MAX, max((cell_len(e.label) for e in self.shown), default=0))
        for index, entry in enumerate(self.shown):
            if entry.phrase.category != category:
                category = entry.phrase.category
                options.append(Option(Text(category_name(category), no_wrap=True),
                                      id=f"category-{category}", disabled=True))
            options.append(Option(option_prompt(entry, width), id=f"phrase-{index}"))
        widget.clear_options()
        widget.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        widget.highlighted = first
        if first is not None:
            widget.scroll_to(y=0, animate=False)  # keep the first category's heading in view
        self._show_detail()

    def _highlighted_entry(self) -> Entry | None:
        widget = self.query_one("#phrases-list", OptionList)
        if widget.highlighted is None:
            return None
        option = widget.get_option_at_index(widget.highlighted)
        if option.disabled or not (option.id or "").startswith("phrase-"):
            return None
        return self.shown[int(option.id.removeprefix("phrase-"))]

    def _show_detail(self) -> None:
        detail = self.query_one("#phrases-detail", Static)
        entry = self._highlighted_entry()
        if entry is None:
            query = self.query_one("#phrases-filter", Input).value.strip()
            message = _("No phrase matches \u201c{query}\u201d. Try fewer words, a Chinese "
                        "meaning or an English word.").format(query=query)
            detail.update(Text(message if query and not self.shown else "", style="italic"))
            return
        text = Text()
        text.append(f"{entry.phrase.label_zh} · {entry.phrase.id}\n", style="dim")
        text.append_text(marked(entry.sentence))
        if _PLACEHOLDER.search(entry.sentence):
            text.append("\n")
            text.append(_("Marked placeholders are not known from the case: fill them in "
                          "after inserting."), style="italic dim")
        detail.update(text)

    # -- events -----------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick()

    def action_move(self, step: int) -> None:
        widget = self.query_one("#phrases-list", OptionList)
        if step > 0:
            widget.action_cursor_down()
        else:
            widget.action_cursor_up()

    def _pick(self) -> None:
        entry = self._highlighted_entry()
        if entry is None:
            self.app.bell()  # nothing to insert: the filter matches no phrase
            return
        self.dismiss(entry.sentence)

    def action_cancel(self) -> None:
        self.dismiss(None)
