"""The appeal letter: drafting, the phrasebook, checks, versions and the PDF.

Submodules are imported by whoever needs them; ``render`` pulls in xhtml2pdf
only inside its functions, so importing this package stays cheap.
"""

from __future__ import annotations

__all__ = ["draft", "facts", "lint", "phrasebook", "render", "versions"]
