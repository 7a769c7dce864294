"""Compiles the linker's per-token modules with mypyc (everything else is in pyproject.toml).

The map step (tokenizer and components, ~280 tokens an abstract) is interpreter-bound; compiled
from the same source it links ~13% faster with identical output (benchmarks/bench_linker.py
compares both builds; tests/linking/test_compiled.py checks they agree). KG_PURE_PYTHON=1 at
install time skips the compilation (see kg/linking/compiled.py for run time).
"""
import os

from setuptools import setup

COMPILED = ["abbreviation_finder", "doc_view", "kb_matcher", "name_rules", "normalize", "resolve", "rules",
            "sentences", "tokenizer"]


def ext_modules():
    if os.environ.get("KG_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    return mypycify([f"kg/linking/{name}.py" for name in COMPILED], opt_level="3", group_name="kg_linking")


setup(ext_modules=ext_modules())
