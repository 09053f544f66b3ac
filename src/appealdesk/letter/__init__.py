"""The appeal letter: its facts, drafting, the phrasebook and versions.

The checks live in ``appealdesk.checks.letter*`` and the PDF in
``appealdesk.render``; submodules are imported by whoever needs them.
"""

from __future__ import annotations

__all__ = ["draft", "facts", "phrasebook", "versions"]
