"""The `kg` click group, shared options, and the one place errors become messages."""
from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

import click

from kg.errors import KGError


class KGGroup(click.Group):
    """Runs a command and turns a KGError into `Error: <message>` plus its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KGError as err:
            click.echo(f"Error: {err}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:  # `kg papers | head`: the reader left, which is fine
            sys.stderr.close()
            sys.exit(0)


def _version() -> str:
    try:
        return version("kg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(_version(), "--version", prog_name="kg")
def main() -> None:
    """kg: turn ML paper abstracts into a knowledge graph.

    \b
    Example:
      kg build            # sample corpus -> .kg/ graph + exports/
      kg query --list     # ready-made SPARQL questions
    """
