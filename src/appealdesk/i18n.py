"""The one translation function for every user-facing string.

Catalogs are gettext ``.po``/``.mo`` files under ``appealdesk/locale`` (managed
with Babel). The language can change while the app runs, so ``_`` looks the
current catalog up on every call instead of binding it at import time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext

DOMAIN = "appealdesk"
LANGUAGES = ("en", "zh")

_current = "en"


class _English:
    """The msgids are the English text: English needs no catalog (nor the gettext module,
    imported with the first other language). What ``gettext.NullTranslations`` does."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


_catalogs: dict[str, gettext.NullTranslations | _English] = {"en": _English()}
# Text written for someone other than the operator (the appeal letter, in the
# marketplace's language) is made under ``in_language``; a context variable, so a
# draft in a worker thread never changes what the screen shows meanwhile.
_override: ContextVar[str | None] = ContextVar("appealdesk_language", default=None)


def _catalog(lang: str) -> gettext.NullTranslations | _English:
    if lang not in _catalogs:
        import gettext

        # beside this module (importlib.resources costs a CLI run ~10 ms of imports)
        localedir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
        if not os.path.isdir(localedir):  # e.g. run from a zip: ask the import system
            from importlib import resources

            localedir = str(resources.files("appealdesk").joinpath("locale"))
        _catalogs[lang] = gettext.translation(
            DOMAIN, localedir=localedir, languages=[lang], fallback=True
        )
    return _catalogs[lang]


def _(message: str) -> str:
    """Translate ``message`` into the current interface language."""
    return _catalog(_override.get() or _current).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now.

    For texts created at import time (key descriptions on a class's BINDINGS):
    they must stay English msgids whatever the language is when the module is
    imported; the app translates them with ``_`` when it shows them.
    """
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(_override.get() or _current).ngettext(singular, plural, n)


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Translate into ``lang`` inside the block, in this thread (or task) only."""
    if lang not in LANGUAGES:
        lang = "en"  # a marketplace language without a catalog: the English msgids
    token = _override.set(lang)
    try:
        yield
    finally:
        _override.reset(token)


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose {' or '.join(LANGUAGES)}")
    _current = lang


def current_language() -> str:
    return _override.get() or _current


def language_from_environment() -> str | None:
    """``zh`` or ``en`` from LC_ALL / LC_MESSAGES / LANG, or None when unset."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def choose_language(flag: str | None, config: dict | None) -> str:
    """``--lang``, then the user's config ``language``, then LANG/LC_ALL, then English."""
    for lang in (flag, (config or {}).get("language"), language_from_environment()):
        if lang in LANGUAGES:
            return lang
    return "en"


def sentences(*parts: str) -> str:
    """Sentences run together as the language writes them: a space after "." but none
    after "。" (a Chinese sentence ends in its own full-width stop)."""
    out = ""
    for part in parts:
        if part:
            out += part if not out or out.endswith(_FULL_WIDTH_END) else " " + part
    return out


_FULL_WIDTH_END = ("。", "！", "？", "；", "：", "）", "」", "”")


def pick(en: str, zh: str) -> str:
    """Choose between the two languages a policy text carries."""
    return zh if current_language() == "zh" and zh else en
