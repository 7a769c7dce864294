"""Shared fixtures: the bundled sample corpus, read once per test session."""
import pytest

from kg.corpus import ReadStats, read_papers
from kg.paths import SAMPLE_CORPUS_DIR


@pytest.fixture(scope="session")
def sample_problems():
    problems = []
    stats = ReadStats()
    papers = list(read_papers(on_problem=problems.append, stats=stats))
    return papers, problems, stats


@pytest.fixture(scope="session")
def sample_papers(sample_problems):
    return sample_problems[0]


@pytest.fixture(scope="session")
def sample_files():
    return sorted(SAMPLE_CORPUS_DIR.glob("*.txt"))


@pytest.fixture
def problems():
    """A list collecting the InputErrors passed to on_problem."""
    return []
