"""The command line imports only the module of the command it runs (``cli.COMMANDS``)."""

from __future__ import annotations

import argparse
import importlib

import pytest

import appealdesk.cli as cli


def registered(module: str) -> list[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).register(sub)
    return list(sub.choices)


def test_the_map_names_every_command_of_every_module():
    every = {name: module for module in cli.COMMAND_MODULES for name in registered(module)}
    assert cli.COMMANDS == every


@pytest.mark.parametrize(("argv", "modules"), [
    (["list", "--json"], ("appealdesk.cli.cases",)),
    (["--data-dir", "d", "--lang", "zh", "metrics", "--help"], ("appealdesk.cli.metrics_cmd",)),
    (["--data-dir=d", "check", "CASE"], ("appealdesk.cli.check_cmd",)),
    (["--demo"], ()),  # opens the app: no command module
    ([], ()),
    (["--help"], cli.COMMAND_MODULES),
    (["-h", "list"], cli.COMMAND_MODULES),
    (["no-such-command"], cli.COMMAND_MODULES),  # the full parser says what exists
    (["--no-such-option", "list"], cli.COMMAND_MODULES),
])
def test_a_run_imports_the_modules_its_command_needs(argv, modules):
    assert tuple(cli.modules_for(argv)) == tuple(modules)


def test_an_unknown_command_is_refused_naming_the_real_ones(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["lsit"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'lsit'" in err and "'list'" in err
