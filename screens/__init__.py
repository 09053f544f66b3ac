"""Screens and modals of the app."""

from appealdesk.screens.dialogs.help import HelpScreen
from appealdesk.screens.main import MainScreen

__all__ = ["HelpScreen", "MainScreen"]
