"""The wheel ships every subpackage and the data kg reads at run time (pyproject lists them by hand)."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setuptools():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_packaging_lists_every_subpackage():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert found <= set(_setuptools()["packages"])


def test_packaging_data_globs_match_the_files_kg_reads():
    conf = _setuptools()
    for package, globs in conf["package-data"].items():
        base = ROOT / conf.get("package-dir", {}).get(package, package.replace(".", "/"))
        for pattern in globs:
            assert list(base.glob(pattern)), f"{package}: {pattern} matches nothing under {base}"
