"""Command-line interface: one module of thin commands per pipeline stage."""
from kg.cli.base import main
from kg.cli import corpus_commands  # noqa: F401  (each module registers its commands on main)
from kg.cli import sparql_commands  # noqa: F401
from kg.cli import assembly_commands  # noqa: F401
from kg.cli import linking_commands  # noqa: F401
from kg.cli import export_commands  # noqa: F401

__all__ = ["main"]
