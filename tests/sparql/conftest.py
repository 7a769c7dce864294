"""Fixtures: a small store in kg's vocabulary (no build needed) and the real sample graph."""
from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.sparql.store import write_store

# A few papers and entities shaped as the exporters write them (ontology/kg.ttl modelling note).
SMALL_TTL = """
@prefix kg: <https://kg.example.org/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix paper: <https://kg.example.org/id/paper/> .
@prefix entity: <https://kg.example.org/id/entity/> .

paper:2401.00001 a kg:Paper ; dcterms:identifier "2401.00001" ; dcterms:title "LoRA for Llama 2" ;
    rdfs:label "LoRA for Llama 2" ; dcterms:issued "2024-01-03"^^xsd:date ;
    dcterms:abstract "We fine-tune Llama 2 7B with LoRA in BF16 on A100 GPUs." ;
    kg:mentions entity:lora, entity:llama-2-7b ; kg:uses entity:lora ; kg:fineTunes entity:llama-2-7b .
paper:2402.00002 a kg:Paper ; dcterms:identifier "2402.00002" ; dcterms:title "FP8 training on H100 \\"at scale\\"" ;
    rdfs:label "FP8 training on H100 \\"at scale\\"" ; dcterms:issued "2024-02-10"^^xsd:date ;
    dcterms:abstract "We train a 7B model in FP8 on NVIDIA H100 GPUs and evaluate on GSM8K." ;
    kg:mentions entity:h100, entity:gsm8k ; kg:runsOn entity:h100 ; kg:evaluatesOn entity:gsm8k .
paper:2402.00003 a kg:Paper ; dcterms:identifier "2402.00003" ; dcterms:title "Tab\\tand newline\\nin a title" ;
    rdfs:label "Tab\\tand newline\\nin a title" ; dcterms:issued "2024-02-20"^^xsd:date ;
    kg:mentions entity:lora .

entity:lora a kg:Method ; dcterms:identifier "lora" ; rdfs:label "LoRA" ; skos:prefLabel "LoRA" ;
    skos:altLabel "Low-Rank Adaptation" ; kg:paperCount 2 .
entity:llama a kg:Model ; dcterms:identifier "llama" ; rdfs:label "Llama" ; kg:paperCount 0 .
entity:llama-2-7b a kg:Model ; dcterms:identifier "llama-2-7b" ; rdfs:label "Llama 2 7B" ;
    kg:family entity:llama ; kg:variantOf entity:llama ; kg:paperCount 1 .
entity:h100 a kg:Hardware ; dcterms:identifier "h100" ; rdfs:label "NVIDIA H100" ; kg:paperCount 1 .
entity:gsm8k a kg:Dataset ; dcterms:identifier "gsm8k" ; rdfs:label "GSM8K" ; kg:paperCount 1 .
"""


def small_triples():
    return list(ox.parse(SMALL_TTL, format=ox.RdfFormat.TURTLE))


@pytest.fixture(scope="session")
def small_graph_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("small-graph")
    write_store(small_triples(), directory, stamp={"fixture": "small"})
    return directory


@pytest.fixture(scope="session")
def small_store(small_graph_dir):
    from kg.sparql import open_store

    return open_store(small_graph_dir)


@pytest.fixture
def free_port():
    """A function returning a port on 127.0.0.1 that nothing listens on right now."""

    def pick() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    return pick


@pytest.fixture(scope="session")
def sample_graph_dir(tmp_path_factory) -> Path:
    """The bundled sample corpus built once per session (read, link, assemble, save)."""
    from kg.assembly import build_graph, save_graph
    from kg.corpus import read_papers
    from kg.linking import link_papers

    directory = tmp_path_factory.mktemp("sample-graph")
    save_graph(build_graph(link_papers(read_papers())), directory)
    return directory


@pytest.fixture(scope="session")
def sample_graph(sample_graph_dir):
    from kg.assembly import load_graph

    return load_graph(sample_graph_dir)


@pytest.fixture(scope="session")
def sample_store(sample_graph_dir):
    from kg.sparql import open_store

    return open_store(sample_graph_dir)
