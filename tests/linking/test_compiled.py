"""The linker's compiled build (mypyc, see setup.py) against its pure-Python sources."""
import os
import pickle
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from kg.linking import compiled

DATA = Path(__file__).parent / "data"

# the map step's output for the sample corpus and the held-out inputs, pickled to stdout
_MAP_STEP = """
import pickle, sys
from kg.corpus import read_papers
from kg.linking.compiled import is_compiled
from kg.linking.kb import load_kb
from kg.linking.link import _nlp_for, link_one
papers = list(read_papers()) + list(read_papers(sys.argv[1:]))
nlp = _nlp_for(load_kb())
sys.stdout.buffer.write(pickle.dumps((is_compiled(), [link_one(nlp, p.title, p.abstract)[:3] for p in papers])))
"""


def _map_step(pure: bool):
    inputs = sorted(str(p) for p in DATA.glob("*_input.jsonl"))
    run = subprocess.run([sys.executable, "-c", _MAP_STEP, *inputs], env=compiled.environ(pure), capture_output=True,
                         check=True)
    return pickle.loads(run.stdout)


@pytest.mark.skipif(not compiled.is_compiled(), reason="the linker runs from its sources here")
def test_compiled_and_pure_python_builds_give_the_same_output():
    was_compiled, compiled_out = _map_step(pure=False)
    was_pure, pure_out = _map_step(pure=True)
    assert (was_compiled, was_pure) == (True, False)
    assert len(compiled_out) > 500
    assert compiled_out == pure_out


def test_kg_pure_python_runs_the_sources():
    code = "from kg.linking import compiled, tokenizer; print(compiled.is_compiled(), tokenizer.__file__)"
    run = subprocess.run([sys.executable, "-c", code], env=compiled.environ(pure=True), capture_output=True,
                         text=True, check=True)
    assert run.stdout.split() == ["False", str(Path(compiled.__file__).parent / "tokenizer.py")]


def test_a_source_edited_after_its_compilation_is_found(tmp_path):
    package = tmp_path / "kg" / "linking"
    package.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    source, lib = package / "rules.py", package / ("rules" + EXTENSION_SUFFIXES[0])
    source.write_text("")
    lib.write_bytes(b"")
    os.utime(source, (1000, 1000))
    os.utime(lib, (2000, 2000))
    assert compiled.stale_module(package) is None
    os.utime(source, (3000, 3000))
    assert compiled.stale_module(package) == source
    (tmp_path / "pyproject.toml").unlink()  # installed from a wheel: not a source checkout
    assert compiled.stale_module(package) is None
