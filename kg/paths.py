"""Where kg finds its bundled data, wherever it is installed from."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLE_CORPUS_DIR = PACKAGE_DIR / "data" / "hf-daily-papers"
# ontology/ is top-level in the repository; a wheel ships it as kg/ontology (see pyproject).
ONTOLOGY_DIR = next(
    (p for p in (PACKAGE_DIR / "ontology", PACKAGE_DIR.parent / "ontology") if p.is_dir()),
    PACKAGE_DIR.parent / "ontology",
)
KB_DIR = ONTOLOGY_DIR / "kb"
DEFAULT_GRAPH_DIR = Path(".kg")
DEFAULT_EXPORTS_DIR = Path("exports")
