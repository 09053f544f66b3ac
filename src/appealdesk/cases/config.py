"""Settings: the team's (in the data folder) and the operator's own (in the user config folder).

Two files, two owners:

``<data>/config.toml`` — ``TeamConfig``: what every operator of a (shared) data
folder has in common, e.g. the stores and the report column mappings.

``<user config>/config.toml`` — ``OperatorConfig``: one person's choices
(language, theme, keymap, the name written into a case's history). The folder
is ``platformdirs.user_config_path("appealdesk")`` (``~/.config/appealdesk`` on
Linux), or ``$APPEALDESK_CONFIG_DIR``. Pressing ``L`` or ``T`` in the app writes
here, so one operator's choice never switches anyone else's interface.

Both are validated with msgspec against the dataclasses below (the documented
fields; ``config_schema()`` gives them as JSON Schema). A broken file — bad TOML
or a wrong type — is a ``ConfigError`` naming the file and the line or key;
``load_settings`` collects those in ``Settings.errors`` and falls back to the
defaults, so every command and the app can report it in one line and go on.

Older versions wrote ``language`` and ``theme`` into the data folder's file:
they are still read from there when the operator's own file does not set them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from appealdesk.cases.disk import atomic_write
from appealdesk.cases.errors import DataFileError, parse_toml

CONFIG_FILE = "config.toml"
CONFIG_DIR_ENV = "APPEALDESK_CONFIG_DIR"


class ConfigError(DataFileError):
    """A config file that cannot be used: ``file[:line]: key: message``."""


@dataclass
class TeamConfig:
    """``<data>/config.toml``: shared by everyone who works in the data folder."""

    stores: list[str] = field(default_factory=list)
    """The team's store names (shown when a case's store is chosen)."""
    report_columns: dict[str, dict[str, list[str] | str]] = field(default_factory=dict)
    """Named column mappings for order exports: ``[report_columns.erp] order_id = ["订单号"]``
    (format ``mapped:<name>``)."""
    operator: str | None = None
    """Legacy: a default operator name; the operator's own file wins."""
    language: Literal["en", "zh"] | None = None
    """Legacy (now per operator): read when the operator's own file has no language."""
    theme: str | None = None
    """Legacy (now per operator): read when the operator's own file has no theme."""


@dataclass
class OperatorConfig:
    """``<user config>/config.toml``: one operator's own settings."""

    operator: str | None = None
    """The name written into a case's history (default: the login name)."""
    language: Literal["en", "zh"] | None = None
    """Interface language; ``--lang`` wins, then this, then LANG/LC_ALL."""
    theme: str | None = None
    """App theme: ``textual-dark``, ``textual-light`` or ``appealdesk-high-contrast``."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key overrides by binding id, e.g. ``"app.quit" = "ctrl+q"`` (for Textual's set_keymap)."""


class Settings:
    """Both files, merged: the operator's own value first, then the team file's. (A plain
    class: this module is imported before the app's first frame, where making a
    dataclass's methods costs ~2 M instructions.)"""

    __slots__ = ("errors", "operator", "operator_path", "team")

    def __init__(self, team: TeamConfig, operator: OperatorConfig,
                 errors: list[ConfigError] | None = None,
                 operator_path: Path | None = None) -> None:
        self.team = team
        self.operator = operator
        self.errors: list[ConfigError] = [] if errors is None else errors
        self.operator_path = operator_path

    def __repr__(self) -> str:
        return (f"Settings(team={self.team!r}, operator={self.operator!r}, "
                f"errors={self.errors!r}, operator_path={self.operator_path!r})")

    @property
    def language(self) -> str | None:
        return self.operator.language or self.team.language

    @property
    def theme(self) -> str | None:
        return self.operator.theme or self.team.theme

    @property
    def operator_name(self) -> str | None:
        return self.operator.operator or self.team.operator

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.operator.keymap)


def user_config_dir() -> Path:
    """The operator's own config folder: ``$APPEALDESK_CONFIG_DIR`` or platformdirs'."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_config_path("appealdesk")


def operator_config_path() -> Path:
    return user_config_dir() / CONFIG_FILE


def _read_raw(path: Path) -> dict[str, Any]:
    """The parsed file ({} when absent); ConfigError naming the file and line."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigError(path, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read ({exc.strerror or exc})") from None
    return parse_toml(path, text, ConfigError)


def read_checked(path: Path, kind: type[Any]) -> tuple[dict[str, Any], Any]:
    """One config file, parsed and as ``kind`` (TeamConfig or OperatorConfig).

    Raises ConfigError naming the file and the line or key.
    """
    raw = _read_raw(path)
    if not raw:  # no file, or an empty one: the defaults (without loading the validator)
        return raw, kind()
    from appealdesk.cases.validate import DataError, convert

    try:
        return raw, convert(raw, kind)
    except DataError as exc:
        raise ConfigError(path, str(exc)) from None


def read_config(path: Path, kind: type[Any]) -> Any:
    """One config file as ``kind`` (TeamConfig or OperatorConfig); raise ConfigError."""
    return read_checked(path, kind)[1]


def load_settings(data_dir: Path | None, operator_path: Path | None = None) -> Settings:
    """Both files, never raising: a broken one is in ``errors`` and its defaults apply."""
    errors: list[ConfigError] = []
    team, mine = TeamConfig(), OperatorConfig()
    if data_dir is not None:
        try:
            team = read_config(Path(data_dir) / CONFIG_FILE, TeamConfig)
        except ConfigError as exc:
            errors.append(exc)
    operator_path = operator_path or operator_config_path()
    try:
        mine = read_config(operator_path, OperatorConfig)
    except ConfigError as exc:
        errors.append(exc)
    return Settings(team, mine, errors, operator_path)


def update_config(path: Path, **changes: Any) -> None:
    """Change keys of one config file, keeping its comments and layout.

    Refuses (ConfigError) to touch a file that is not valid TOML: the operator's
    text is never replaced by a fresh file behind their back.
    """
    import tomlkit

    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read ({exc})") from None
    if text:
        _read_raw(path)  # a broken file: ConfigError with its line
    try:
        doc = tomlkit.parse(text) if text else tomlkit.document()
        for key, value in changes.items():
            doc[key] = value
    except Exception as exc:  # tomlkit reads a few files tomllib accepts differently
        raise ConfigError(path, f"cannot be updated ({type(exc).__name__}: {exc})") from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(path, tomlkit.dumps(doc).encode("utf-8"))


def remember(**changes: Any) -> Path:
    """Save the operator's own settings (language, theme, ...); return the file written."""
    path = operator_config_path()
    update_config(path, **changes)
    return path


def config_schema() -> dict[str, Any]:
    """The two files' fields as JSON Schema (generated from the dataclasses above)."""
    import msgspec

    (team, operator), components = msgspec.json.schema_components((TeamConfig, OperatorConfig))
    return {"team": team, "operator": operator, "$defs": components}
