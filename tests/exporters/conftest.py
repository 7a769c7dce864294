"""Fixtures: a small graph shaped exactly as kg/assembly/schema.py says, from real sample papers.

The graph is built here by hand (not by kg.assembly) so the writers are tested on the contract
itself; the mentions are found in the real titles and abstracts of the bundled sample corpus.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from kg.assembly import schema as S
from kg.corpus import read_papers
from kg.records import Mention

SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
SCHEMAS_DIR = SHARED_DIR / "schemas"

# paper title prefix -> {entity id: relations beyond MENTIONS}
PAPERS = {
    "To FP8 and Back Again": {"fp8": (S.USES,), "bf16": (S.COMPARES_WITH,)},
    "COAT: Compressing Optimizer": {"coat": (S.INTRODUCES,), "fp8": (S.USES,), "bf16": (S.OUTPERFORMS,),
                                    "gpu": (S.RUNS_ON,)},
    "Quartet: Native FP4 Training": {"fp4": (S.USES,), "fp8": (S.COMPARES_WITH,), "gpu": (S.RUNS_ON,)},
    "TÜLU 3: Pushing Frontiers": {"tulu-3": (S.INTRODUCES,), "llama-3.1": (S.FINE_TUNES,),
                                  "dpo": (S.USES,), "gpt-4o-mini": (S.COMPARES_WITH,)},
}
# entity id -> (type, label, surface forms, aliases, family, description, external ids, known)
ENTITIES = {
    "fp8": ("Method", "FP8", ("FP8",), ("8-bit floating point",), None, "8-bit floating-point number format.", (), True),
    "fp4": ("Method", "FP4", ("FP4",), (), None, None, (), True),
    "bf16": ("Method", "BF16", ("BF16", "BrainFloat16"), ("BrainFloat16", "bfloat16"), None,
             "Brain floating-point format with 16 bits.", (), True),
    "coat": ("Method", "COAT", ("COAT",), (), "fp8", None, (), False),
    "gpu": ("Hardware", "GPU", ("GPUs",), ("graphics processing unit",), None, None, (), True),
    "tulu-3": ("Model", "TÜLU 3", ("TÜLU 3",), ("Tulu 3",), None, None, (), False),
    "llama-3.1": ("Model", "Llama 3.1", ("Llama 3.1",), ("Meta-Llama-3.1",), "llama", "Meta's Llama 3.1 model family.",
                  (), True),
    "llama": ("Model", "Llama", (), ("LLaMA",), None, "Meta's Llama model families.", (), True),
    "dpo": ("Method", "Direct Preference Optimization", ("Direct Preference Optimization", "DPO"), ("DPO",), None,
            "Preference fine-tuning without a reward model.",
            (("pwc", "https://paperswithcode.com/method/dpo"),), True),
    "gpt-4o-mini": ("Model", "GPT-4o mini", ("GPT-4o-mini",), (), None, None, (), True),
}


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _find_mentions(paper, forms) -> tuple[Mention, ...]:
    found = []
    for field in ("title", "abstract"):
        text = getattr(paper, field)
        sentences = _sentences(text)
        for form in forms:
            for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                a, b = next((a, b) for a, b in sentences if a <= m.start() <= b)
                found.append(Mention(form, field, m.start(), m.end(), text[a:b], 0.95 if field == "title" else 0.9))
    return tuple(sorted(found, key=lambda m: (m.field != "title", m.start)))


def build_small_graph() -> nx.MultiDiGraph:
    papers = {}
    for paper in read_papers():
        for prefix in PAPERS:
            if paper.title.startswith(prefix) and prefix not in papers:
                papers[prefix] = paper
    assert set(papers) == set(PAPERS), "sample corpus lost a fixture paper"
    g = nx.MultiDiGraph()
    for eid, (etype, label, _forms, aliases, family, description, ext, known) in ENTITIES.items():
        g.add_node(S.entity_node(eid), kind=etype, id=eid, label=label, aliases=aliases, family=family,
                   description=description, external_ids=ext, known=known, paper_count=0)
    for prefix, relations in PAPERS.items():
        p = papers[prefix]
        g.add_node(S.paper_node(p.id), kind=S.PAPER, id=p.id, title=p.title, abstract=p.abstract, date=p.date,
                   upvotes=p.upvotes, author_count=p.author_count, authors=p.authors,
                   links=tuple((link.url, link.kind) for link in p.links),
                   sources=tuple(f"{s.path}:{s.line}" for s in p.sources))
        for eid, typed in relations.items():
            mentions = _find_mentions(p, ENTITIES[eid][2])
            assert mentions, (prefix, eid)
            first = mentions[0]
            common = dict(confidence=max(m.confidence for m in mentions), evidence=first.sentence,
                          field=first.field, start=first.start, end=first.end)
            u, v = S.paper_node(p.id), S.entity_node(eid)
            g.add_edge(u, v, key=S.MENTIONS, mention_count=len(mentions), mentions=mentions, **common)
            for relation in typed:
                g.add_edge(u, v, key=relation, **common)
            g.nodes[v]["paper_count"] += 1
    for eid, (*_, family, _d, _e, _k) in ENTITIES.items():
        if family:
            g.add_edge(S.entity_node(eid), S.entity_node(family), key=S.VARIANT_OF)
    fp8, coat, quartet = (papers[k].id for k in list(PAPERS)[:3])
    g.add_edge(S.paper_node(coat), S.paper_node(fp8), key=S.RELATED_TO, score=0.4213, entity_score=0.5,
               text_score=0.2839, rank=1, shared=("fp8", "bf16"), reason="Both mention FP8 and BF16.")
    g.add_edge(S.paper_node(fp8), S.paper_node(coat), key=S.RELATED_TO, score=0.4213, entity_score=0.5,
               text_score=0.2839, rank=1, shared=("fp8", "bf16"), reason="Both mention FP8 and BF16.")
    g.add_edge(S.paper_node(quartet), S.paper_node(coat), key=S.RELATED_TO, score=1e-05, entity_score=0.0,
               text_score=2.5e-05, rank=2, shared=(), reason="Similar text.")
    g.add_edge(S.paper_node(quartet), S.paper_node(coat), key=S.BUILDS_ON, via=("coat",))
    return g


@pytest.fixture(scope="session")
def small_graph() -> nx.MultiDiGraph:
    return build_small_graph()


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install raptor2-utils libxml2-utils)")
    return path


def shared_schema(*parts: str) -> Path:
    path = SCHEMAS_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not available)")
    return path


@pytest.fixture(scope="session")
def sample_graph() -> nx.MultiDiGraph:
    """The real graph of the bundled sample corpus, built once per session (as `kg build` does)."""
    from kg.assembly import build_graph
    from kg.linking import link_papers, load_kb

    kb = load_kb()
    return build_graph(link_papers(read_papers(), kb=kb), kb=kb)


@pytest.fixture(scope="session")
def sample_exports(sample_graph, tmp_path_factory) -> dict[str, Path]:
    """Every format of the sample graph, written once with write_all: format name -> path."""
    from kg.exporters import EXPORTERS, write_all

    directory = tmp_path_factory.mktemp("sample-exports")
    paths = write_all(sample_graph, directory)
    return dict(zip(EXPORTERS, paths))


def run_shacl(data_graph):
    """(conforms, report text) of pyshacl over ontology/shapes.ttl."""
    import pyshacl
    from rdflib import Graph

    from kg.paths import ONTOLOGY_DIR

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(data_graph, shacl_graph=shapes, inference="none", advanced=True)
    return conforms, text
