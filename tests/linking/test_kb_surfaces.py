"""Knowledge-base surface forms: precision guard on real text, sizes and versions under their family."""
import re
from collections import Counter

import pytest

from kg.linking import link_papers

# Model/Dataset/Hardware terms whose ordinary lowercase use is the term itself.
WORD_TERMS_OK = {"autoencoder", "transformer"}


def test_kb_word_like_names_are_case_sensitive(kb, sample_papers):
    # A name spelled like a plain word ("Bunny", "Replica", "Blackhole") matches that word in any
    # case unless the entry is case_sensitive; the sample corpus shows which words abstracts use.
    words = Counter(w for p in sample_papers for w in re.findall(r"\b[a-z]{3,}\b", f"{p.title} {p.abstract}"))
    clashes = [
        (ent.id, surface)
        for ent in kb.entities.values()
        if ent.type != "Method" and ent.id not in kb.case_sensitive and ent.id not in kb.generic
        and ent.id not in WORD_TERMS_OK
        for surface in (ent.label, *ent.aliases)
        if re.fullmatch(r"[A-Za-z][a-z]+", surface) and words[surface.lower()]
    ]
    assert clashes == []


@pytest.mark.parametrize(
    ("phrase", "entity_id", "family"),
    [
        ("Mamba-2 370M", "mamba2-370m", "mamba-2"),
        ("WeatherBench 2", "weatherbench-2", "weatherbench"),
        ("Flan-PaLM 540B", "flan-palm-540b", "flan-palm"),
    ],
)
def test_kb_sized_variant_links_under_its_family(kb, find_paper, phrase, entity_id, family):
    paper = find_paper(phrase)
    (linked,) = link_papers([paper], kb=kb)
    found = {le.entity.id: le for le in linked.entities}
    assert entity_id in found
    assert phrase in [m.text for m in found[entity_id].mentions]
    assert family in kb.parent_chain(entity_id)
