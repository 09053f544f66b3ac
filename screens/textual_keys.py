"""Key descriptions of Textual's own widgets, marked for our catalog.

The app translates every binding description with ``_`` when it shows it (see
``appealdesk.widgets.footer``), including the ones Textual's
widgets bring (DataTable, Input, TextArea, Tree, the command palette ...). Those
strings live in Textual, where Babel does not look, so they are listed here with
the no-op marker ``N_``: ``pybabel extract -k N_`` puts them in the .pot and
``pybabel update`` keeps them; ``-c "Textual key:"`` copies the comments, so
they stand out in the .po. Nothing needs to import this module.

Regenerate the list after a Textual upgrade (tests/test_i18n.py checks it
against the installed Textual 8.2.8).
"""

from appealdesk.i18n import N_

TEXTUAL_KEY_DESCRIPTIONS = (
    # Textual key: DataTable
    N_("Bottom"),
    # Textual key: TextArea
    N_("Copy"),
    # Textual key: Input, Screen
    N_("Copy selected text"),
    # Textual key: Tree
    N_("Cursor Down"),
    # Textual key: Tree
    N_("Cursor Up"),
    # Textual key: DataTable, ListView, TextArea
    N_("Cursor down"),
    # Textual key: TextArea
    N_("Cursor down select"),
    # Textual key: DataTable, TextArea
    N_("Cursor left"),
    # Textual key: TextArea
    N_("Cursor left select"),
    # Textual key: TextArea
    N_("Cursor left word select"),
    # Textual key: TextArea
    N_("Cursor line end"),
    # Textual key: TextArea
    N_("Cursor line end select"),
    # Textual key: TextArea
    N_("Cursor line start"),
    # Textual key: TextArea
    N_("Cursor line start select"),
    # Textual key: TextArea
    N_("Cursor page down"),
    # Textual key: TextArea
    N_("Cursor page up"),
    # Textual key: DataTable, TextArea
    N_("Cursor right"),
    # Textual key: TextArea
    N_("Cursor right select"),
    # Textual key: TextArea
    N_("Cursor right word select"),
    # Textual key: Tree
    N_("Cursor to next ancestor"),
    # Textual key: Tree
    N_("Cursor to next sibling"),
    # Textual key: Tree
    N_("Cursor to parent"),
    # Textual key: Tree
    N_("Cursor to previous sibling"),
    # Textual key: DataTable, ListView, TextArea
    N_("Cursor up"),
    # Textual key: TextArea
    N_("Cursor up select"),
    # Textual key: TextArea
    N_("Cursor word left"),
    # Textual key: TextArea
    N_("Cursor word right"),
    # Textual key: TextArea
    N_("Cut"),
    # Textual key: Input
    N_("Cut selected text"),
    # Textual key: Input
    N_("Delete all to the left"),
    # Textual key: Input
    N_("Delete all to the right"),
    # Textual key: Input, TextArea
    N_("Delete character left"),
    # Textual key: Input, TextArea
    N_("Delete character right"),
    # Textual key: Input, TextArea
    N_("Delete left to start of word"),
    # Textual key: TextArea
    N_("Delete line"),
    # Textual key: Input, TextArea
    N_("Delete right to start of word"),
    # Textual key: TextArea
    N_("Delete to line end"),
    # Textual key: TextArea
    N_("Delete to line start"),
    # Textual key: OptionList
    N_("Down"),
    # Textual key: DataTable
    N_("End"),
    # Textual key: CommandPalette
    N_("Exit the command palette"),
    # Textual key: Tree
    N_("Expand or collapse all"),
    # Textual key: OptionList
    N_("First"),
    # Textual key: Screen
    N_("Focus Next"),
    # Textual key: Screen
    N_("Focus Previous"),
    # Textual key: CommandPalette
    N_("Go to bottom"),
    # Textual key: Input
    N_("Go to end"),
    # Textual key: Input
    N_("Go to start"),
    # Textual key: CommandPalette
    N_("Go to top"),
    # Textual key: DataTable
    N_("Home"),
    # Textual key: OptionList
    N_("Last"),
    # Textual key: Input
    N_("Move cursor left"),
    # Textual key: Input
    N_("Move cursor left a word"),
    # Textual key: Input
    N_("Move cursor left a word and select"),
    # Textual key: Input
    N_("Move cursor left and select"),
    # Textual key: Input
    N_("Move cursor right a word"),
    # Textual key: Input
    N_("Move cursor right a word and select"),
    # Textual key: Input
    N_("Move cursor right and select"),
    # Textual key: Input
    N_("Move cursor right or accept the completion suggestion"),
    # Textual key: CommandPalette
    N_("Next command"),
    # Textual key: RadioSet
    N_("Next option"),
    # Textual key: CommandPalette
    N_("Next page"),
    # Textual key: Tabs
    N_("Next tab"),
    # Textual key: Link
    N_("Open link"),
    # Textual key: OptionList, ScrollableContainer
    N_("Page Down"),
    # Textual key: ScrollableContainer
    N_("Page Left"),
    # Textual key: ScrollableContainer
    N_("Page Right"),
    # Textual key: OptionList, ScrollableContainer
    N_("Page Up"),
    # Textual key: DataTable
    N_("Page down"),
    # Textual key: DataTable
    N_("Page up"),
    # Textual key: TextArea
    N_("Paste"),
    # Textual key: Input
    N_("Paste text from the clipboard"),
    # Textual key: Button
    N_("Press button"),
    # Textual key: CommandPalette
    N_("Previous command"),
    # Textual key: RadioSet
    N_("Previous option"),
    # Textual key: CommandPalette
    N_("Previous page"),
    # Textual key: Tabs
    N_("Previous tab"),
    # Textual key: App
    N_("Quit"),
    # Textual key: TextArea
    N_("Redo"),
    # Textual key: ScrollableContainer
    N_("Scroll Down"),
    # Textual key: ScrollableContainer
    N_("Scroll End"),
    # Textual key: ScrollableContainer
    N_("Scroll Home"),
    # Textual key: ScrollableContainer
    N_("Scroll Left"),
    # Textual key: ScrollableContainer
    N_("Scroll Right"),
    # Textual key: ScrollableContainer
    N_("Scroll Up"),
    # Textual key: DataTable, ListView, OptionList
    N_("Select"),
    # Textual key: Input, TextArea
    N_("Select all"),
    # Textual key: TextArea
    N_("Select line"),
    # Textual key: Input
    N_("Select line end"),
    # Textual key: Input
    N_("Select line start"),
    # Textual key: Select
    N_("Show menu"),
    # Textual key: Input
    N_("Submit"),
    # Textual key: RadioSet, Switch, ToggleButton
    N_("Toggle"),
    # Textual key: CollapsibleTitle
    N_("Toggle collapsible"),
    # Textual key: SelectionList
    N_("Toggle option"),
    # Textual key: DataTable
    N_("Top"),
    # Textual key: TextArea
    N_("Undo"),
    # Textual key: OptionList
    N_("Up"),
)
