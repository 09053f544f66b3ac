"""What every command and the app work in: a data folder, its policies, a clock, an operator."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from appealdesk.cases.clock import Clock, system_clock
from appealdesk.cases.store import Store, operator_name

if TYPE_CHECKING:
    from appealdesk.cases.config import Settings
    from appealdesk.cases.model import Case
    from appealdesk.policy.loading import PolicySet
    from appealdesk.policy.types import Policy

DATA_DIR_ENV = "APPEALDESK_DATA_DIR"
DROP_DIR_ENV = "APPEALDESK_DROP_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("appealdesk")


class Workspace:
    """A data folder, its policies, a clock and an operator.

    ``policies`` may be left out: the data folder's policies (shipped ones plus
    ``<data>/policies/*.toml``) are then read and validated the first time they are
    used, so the app can paint its first screen before the policy schema is loaded.
    Files that fail to load are in ``policies.errors`` either way.
    """

    def __init__(
        self, store: Store, policies: PolicySet | None = None, clock: Clock = system_clock,
        operator: str | None = None, label: str = "",
    ) -> None:
        self.store = store
        self._policies = policies
        self.clock = clock
        self._operator = operator  # None: the login name, looked up when first asked
        self.label = label  # how the app names the data folder; tests set a stable one
        # Set by a front end that keeps the derived index (appealdesk.index.attach), so that
        # cases_like reads only the few cases it returns; None: read every case.
        self.find_cases_like: Callable[[Case], list[Case]] | None = None
        self.case_index: Any = None  # that index, for the front end's own questions
        self._settings: Settings | None = None

    @property
    def operator(self) -> str:
        """The name written into a case's history (getpass, imported when first asked:
        the app paints its first screen without it)."""
        if self._operator is None:
            self._operator = operator_name()
        return self._operator

    @operator.setter
    def operator(self, value: str) -> None:
        self._operator = value

    @property
    def settings(self) -> Settings:
        """The team's and the operator's own config files (``settings.errors``: broken ones)."""
        if self._settings is None:
            from appealdesk.cases.config import load_settings

            self._settings = load_settings(self.store.root)
        return self._settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self._settings = value

    @property
    def policies(self) -> PolicySet:
        if self._policies is None:
            from appealdesk.policy.loading import load_policies

            self._policies = load_policies(self.store.policies_dir)
        return self._policies

    @policies.setter
    def policies(self, value: PolicySet) -> None:
        self._policies = value

    def __repr__(self) -> str:
        return f"Workspace(root={str(self.store.root)!r}, operator={self.operator!r})"

    @classmethod
    def open(
        cls, data_dir: Path | None = None, *, clock: Clock = system_clock,
        operator: str | None = None,
    ) -> Workspace:
        from appealdesk.cases.config import load_settings

        store = Store(Path(data_dir) if data_dir else default_data_dir())
        # Never raises: a broken config file is in settings.errors, for the CLI and
        # the app to report, and its defaults apply.
        settings = load_settings(store.root)
        name = operator or settings.operator_name  # None: the login name, when first asked
        ws = cls(store, None, clock, name)  # policies: read when first used
        ws.settings = settings
        return ws

    def now(self) -> datetime:
        return self.clock()

    @property
    def drop_dir(self) -> Path:
        """Where the operator puts files to attach when they have no shell on the server
        (scp/sftp, a shared mount, the browser page's upload): ``APPEALDESK_DROP_DIR``, else
        ``<data>/drop/<operator>/``. The attach and import pickers open it first."""
        env = os.environ.get(DROP_DIR_ENV)
        if env:
            return Path(env).expanduser()
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.operator)
        return self.store.root / "drop" / (safe.lstrip(".") or "operator")

    def policy_for(self, case: Case) -> Policy | None:
        return self.policies.get(case.marketplace)

    def cases_like(self, case: Case) -> list[Case]:
        """The other cases of ``case``'s marketplace, store and notification type that had
        a rejected submission (the letters ``repeated_appeal`` compares with)."""
        if self.find_cases_like is not None:
            return self.find_cases_like(case)
        return [
            c for c in self.store.load_all().cases
            if c.id != case.id and c.marketplace == case.marketplace and c.store == case.store
            and c.notification.type == case.notification.type
            and any(s.outcome == "rejected" for s in c.submissions)
        ]
