"""Calendar days typed by a person: one parser for every ``YYYY-MM-DD`` the program reads
(``--date``, ``--as-of``, a document date stored on an evidence file)."""

from __future__ import annotations

import re
from datetime import date

from appealdesk.i18n import _

_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_day(text: str) -> date:
    """``2026-11-03`` (also ``2026-11-3``) -> date; ValueError with one clear line otherwise."""
    match = _DAY.match(text or "")
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise ValueError(_("not a date (YYYY-MM-DD): {text}").format(text=text))


def day_or_none(text: object) -> date | None:
    """A stored day (a ``date`` or its ISO text, a time after it ignored), or None when
    it is missing or not a date — for data that may be hand-edited."""
    if isinstance(text, date):
        return text
    if not text:
        return None
    try:
        return parse_day(str(text)[:10])
    except ValueError:
        return None
