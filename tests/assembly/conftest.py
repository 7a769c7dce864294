import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # handmade.py helpers


@pytest.fixture(scope="session")
def sample_linked():
    """The sample corpus through the real reader and linker, once per test session."""
    from kg.corpus import read_papers
    from kg.linking import link_papers, load_kb

    kb = load_kb()
    return kb, list(link_papers(read_papers(), kb=kb))


@pytest.fixture(scope="session")
def sample_graph(sample_linked):
    from kg.assembly import build_graph

    kb, linked = sample_linked
    return build_graph(linked, kb=kb, top_k=5)
