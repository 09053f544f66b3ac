"""Keys in the order they were typed: each key acts where the key before it left the focus.

Operators type ahead ("3a": the evidence pane, then attach, in one burst over SSH).
Textual sends a key to the widget focused when the app takes the key from its queue,
and runs the key's bindings (all but the ``priority`` ones) only when the key has
bubbled back up from that widget to the app. A burst read at once is all in the app's
queue before the first key's binding runs, so the "a" used to reach the pane that had
the focus before "3" — typed into the letter, or taken as the inbox's own ``a``.

So the app holds a key while the key before it is still on its way through the widgets,
and routes it once that key is done: it has bubbled back and its bindings have run, or
a widget on the way has consumed it (each widget's ``message_signal`` says when it has
handled a message). The actions that move the focus do it at once
(``Screen.set_focus``, not ``Widget.focus``, which waits for a callback queued behind
the keys), so the held key goes to the new place. Keys that arrive one at a time never
wait. A key held ``HOLD_LATEST`` seconds (the one before it was dropped on its way: its
widget was removed) is routed anyway.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App

if TYPE_CHECKING:
    from textual.message import Message
    from textual.message_pump import MessagePump

HOLD_LATEST = 1.0  # seconds


class KeysInOrder(App):
    """The app's keys, one after the other (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key_on_way: events.Key | None = None
        self._key_since = 0.0
        self._key_path: list[MessagePump] = []  # the widgets it may pass, focused first
        self._held_keys: deque[events.Key] = deque()
        self._hold_timer: Any = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
        elif not event.is_forwarded:  # a key typed: from the terminal (or a test)
            if self._key_on_way is not None or self._held_keys:
                self._held_keys.append(event)
                self._watch_held()
            else:
                await self._route(event)
        else:  # a key back from the widgets: its bindings run here
            await super().on_event(event)
            if event is self._key_on_way:
                self._key_done()
                await self._route_held()

    async def _route(self, key: events.Key) -> None:
        """Route ``key`` as Textual does (priority bindings, else the focused widget) and
        follow it if it went to a widget."""
        target = self.focused or self.screen
        await super().on_event(key)
        if not key.is_forwarded:
            return  # a priority binding took it
        self._key_on_way, self._key_since = key, monotonic()
        self._key_path = [node for node in target.ancestors_with_self if node is not self]
        # The screen is left out: from it the key always comes back here (the app sent
        # it: Textual stops it there, after passing it to the app).
        for node in self._key_path[:-1]:
            node.message_signal.subscribe(self, self._handled_on_way, immediate=True)

    def _handled_on_way(self, message: Message) -> None:
        """A widget on the key's way has handled it: done if it went no further."""
        if message is self._key_on_way and message._stop_propagation:
            self._key_done()
            self.call_next(self._route_held)

    def _key_done(self) -> None:
        for node in self._key_path:
            node.message_signal.unsubscribe(self)
        self._key_on_way, self._key_path = None, []

    async def _route_held(self) -> None:
        while self._held_keys and self._key_on_way is None:
            await self._route(self._held_keys.popleft())

    def _watch_held(self) -> None:
        if self._hold_timer is None:
            self._hold_timer = self.set_timer(HOLD_LATEST, self._hold_expired,
                                              name="held-keys")

    async def _hold_expired(self) -> None:
        self._hold_timer = None
        if self._key_on_way is not None and monotonic() - self._key_since >= HOLD_LATEST:
            self._key_done()  # lost on its way: the keys behind it go on
            await self._route_held()
        if self._held_keys:
            self._watch_held()
