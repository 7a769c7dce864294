"""CLI-wide checks: every command has help with an example; version works."""
import click
import pytest
from click.testing import CliRunner

from kg.cli import main


def _commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path", [()] + [p for p, _ in _commands(main)], ids=lambda p: " ".join(p) or "kg")
def test_cli_every_command_has_help_with_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_cli_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("kg, version ")
