"""AppealDesk: from a marketplace performance notification to a submitted appeal."""

__version__ = "0.1.0"
