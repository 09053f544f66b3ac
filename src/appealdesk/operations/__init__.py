"""The use-case layer: every operation that changes a case, once, for the CLI and the app."""
