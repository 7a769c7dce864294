"""Compiles the linker's per-token modules with mypyc (everything else is in pyproject.toml).

The map step (tokenizer and components, ~280 tokens an abstract) is interpreter-bound; compiled
from the same source it links ~1.2x faster with identical output (benchmarks/bench_linker.py
compares both builds; tests/linking/test_compiled.py checks they agree). KG_PURE_PYTHON=1 at
install time skips the compilation, and so does a machine without a C compiler (with a warning);
see kg/linking/compiled.py for run time.
"""
import os

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = ["abbreviation_finder", "doc_view", "kb_matcher", "name_rules", "normalize", "resolve", "rules",
            "sentences", "tokenizer"]


class OptionalBuildExt(build_ext):
    """The compiled modules are an optimization: without a working C compiler, install the sources."""

    def run(self):
        try:
            super().run()
        except Exception as err:  # noqa: BLE001  distutils raises several unrelated compiler errors
            for ext in self.extensions:  # all or nothing: a compiled module needs the others
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)
            self.warn(f"kg: compiling the linker failed ({err}); installing pure Python (slower)")


def ext_modules():
    if os.environ.get("KG_PURE_PYTHON"):
        return []
    from mypyc.build import mypycify

    return mypycify([f"kg/linking/{name}.py" for name in COMPILED], opt_level="3", group_name="kg_linking")


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
