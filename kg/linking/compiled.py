"""Which build of the linker runs: its per-token modules compiled with mypyc, or pure Python.

setup.py compiles them at install time (same source; KG_PURE_PYTHON=1 skips it). At run time
KG_PURE_PYTHON=1 loads the .py sources even where compiled modules sit beside them (to debug,
or to compare both builds: benchmarks/bench_linker.py, tests/linking/test_compiled.py).

An editable install compiles them inside the source checkout, where a module edited after its
compilation would silently run its old code: kg.linking then runs the sources, with a warning.
"""
from __future__ import annotations

import os
import sys
import warnings
from importlib.machinery import (
    BYTECODE_SUFFIXES, EXTENSION_SUFFIXES, SOURCE_SUFFIXES, FileFinder, SourceFileLoader, SourcelessFileLoader,
)
from pathlib import Path

HERE = Path(__file__).parent
PURE = bool(os.environ.get("KG_PURE_PYTHON"))


def use_sources() -> None:
    """Make kg.linking's submodules load from their .py files, not from compiled modules."""
    for entry in sys.modules["kg.linking"].__path__:  # where the import system looks for them
        sys.path_importer_cache[entry] = FileFinder(
            entry, (SourceFileLoader, SOURCE_SUFFIXES), (SourcelessFileLoader, BYTECODE_SUFFIXES))


def stale_module(package_dir: Path = HERE) -> Path | None:
    """In a source checkout, the first source edited after its compiled module was built."""
    if not (package_dir.parents[1] / "pyproject.toml").is_file():
        return None  # installed from a wheel: sources and compiled modules come together
    for suffix in EXTENSION_SUFFIXES:
        for lib in sorted(package_dir.glob("*" + suffix)):
            source = package_dir / (lib.name[: -len(suffix)] + ".py")
            if source.is_file() and source.stat().st_mtime > lib.stat().st_mtime:
                return source
    return None


def environ(pure: bool) -> dict[str, str]:
    """This process's environment for a child running the pure-Python (or the installed) build."""
    env = {k: v for k, v in os.environ.items() if k != "KG_PURE_PYTHON"}
    if pure:
        env["KG_PURE_PYTHON"] = "1"
    return env


def is_compiled() -> bool:
    """Whether the linker's modules run compiled."""
    from kg.linking import tokenizer

    return not tokenizer.__file__.endswith(".py")


if PURE:
    use_sources()
elif (_stale := stale_module()) is not None:
    warnings.warn(f"{_stale} changed after it was compiled: running the linker from its sources "
                  "(pure Python, slower); `pip install -e .` compiles it again", stacklevel=2)
    use_sources()
