"""Where kg finds its bundled data, wherever it is installed from."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLE_CORPUS_DIR = PACKAGE_DIR / "data" / "hf-daily-papers"


def _bundled(installed: str, in_repository: str) -> Path:
    """A data directory: inside the package when installed from a wheel, else at the repository top."""
    packaged = PACKAGE_DIR / installed
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / in_repository


# ontology/ and exports/queries/ are top-level in the repository (see pyproject's package-dir).
ONTOLOGY_DIR = _bundled("ontology", "ontology")
QUERIES_DIR = _bundled("queries", "exports/queries")
KB_DIR = ONTOLOGY_DIR / "kb"
DEFAULT_GRAPH_DIR = Path(".kg")
DEFAULT_EXPORTS_DIR = Path("exports")
