"""Non-date cells: booleans, shared texts, who cancelled; each read once per distinct text."""

from __future__ import annotations

from appealdesk.reports.dates import _BAD

_TRUE = {"true", "yes", "y", "1", "是", "t", "x"}
_FALSE = {"false", "no", "n", "0", "否", "f", ""}


class _BoolCache(dict):
    def __missing__(self, raw: str) -> int:
        text = raw.strip().lower()
        value = 1 if text in _TRUE else 0 if text in _FALSE else _BAD
        self[raw] = value
        return value


class _Intern(dict):
    """raw text -> one shared copy of it stripped (up to 100,000 distinct texts)."""

    def __missing__(self, raw: str) -> str:
        text = raw.strip()
        if len(self) < 100_000:
            self[raw] = self.setdefault(text, text)
        return self.get(raw, text)


class _CancellerCache(dict):
    _WORDS = {"seller": 1, "buyer": 2, "platform": 3, "卖家": 1, "买家": 2, "平台": 3,
              "customer": 2, "marketplace": 3, "": 0}

    def __missing__(self, raw: str) -> int:
        value = self._WORDS.get(raw.strip().lower(), _BAD)
        self[raw] = value
        return value

