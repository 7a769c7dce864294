"""Shared fixtures: the knowledge base, one pipeline and the sample corpus, built once a session."""
from pathlib import Path

import pytest

from kg.corpus import read_papers
from kg.linking import load_kb
from kg.linking.pipeline import build_nlp

GOLD_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "gold"


@pytest.fixture(scope="session")
def kb():
    return load_kb()


@pytest.fixture(scope="session")
def nlp(kb):
    return build_nlp(kb)


@pytest.fixture(scope="session")
def sample_papers():
    return list(read_papers())


@pytest.fixture(scope="session")
def find_paper(sample_papers):
    """The sample paper whose abstract contains a phrase (so test sentences are real corpus text)."""

    def find(phrase: str):
        hits = [p for p in sample_papers if phrase in p.abstract or phrase in p.title]
        assert hits, f"phrase not in the sample corpus: {phrase!r}"
        return hits[0]

    return find


@pytest.fixture(scope="session")
def gold_dir():
    if not (GOLD_DIR / "dev.jsonl").is_file():
        pytest.skip("../shared/gold is not available")
    return GOLD_DIR
