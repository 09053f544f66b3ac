"""Screens and modals of the app."""

from appealdesk.screens.help import HelpScreen
from appealdesk.screens.main import MainScreen

__all__ = ["HelpScreen", "MainScreen"]
