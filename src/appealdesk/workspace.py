"""What every command and the app work in: a data folder, its policies, a clock, an operator."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import platformdirs

from appealdesk.clock import Clock, system_clock
from appealdesk.model import Case
from appealdesk.policy import Policy, PolicySet, load_policies
from appealdesk.store import Store, operator_name

DATA_DIR_ENV = "APPEALDESK_DATA_DIR"


def default_data_dir() -> Path:
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("appealdesk")


@dataclass
class Workspace:
    store: Store
    policies: PolicySet
    clock: Clock = system_clock
    operator: str = field(default_factory=operator_name)
    label: str = ""  # how the app names the data folder; tests set a stable one

    @classmethod
    def open(
        cls, data_dir: Path | None = None, *, clock: Clock = system_clock,
        operator: str | None = None,
    ) -> Workspace:
        store = Store(Path(data_dir) if data_dir else default_data_dir())
        config = {}
        try:
            config = store.read_config()
        except Exception:  # a broken config must not stop the app; `doctor`-style errors later
            config = {}
        name = operator or str(config.get("operator", "")) or operator_name()
        return cls(store, load_policies(store.policies_dir), clock, name)

    def now(self) -> datetime:
        return self.clock()

    def policy_for(self, case: Case) -> Policy | None:
        return self.policies.get(case.marketplace)
