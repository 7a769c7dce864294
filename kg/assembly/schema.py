"""The shape of the assembled graph: the contract between assembly, exporters and sparql.

A networkx MultiDiGraph. Node keys are strings: ``paper:<paper id>`` and ``entity:<entity id>``.
Every node has ``kind``: "Paper" or one of ENTITY_TYPES.

Paper node attributes: id, title, abstract, date (ISO str or None), upvotes (int or None),
author_count (int or None), authors (tuple of str), links (tuple of (url, kind)),
sources (tuple of "path:line" str), categories (tuple of str, often empty).

Entity node attributes: id, label, aliases (tuple of str), family (entity id of the parent or None),
description (str or None), external_ids (tuple of (scheme, value)), known (bool: from the
knowledge base), paper_count (int).

Edges are keyed by relation name (EDGE_TYPES), so (u, v, relation) is unique. Attributes:
- paper -> entity relations (MENTIONS, INTRODUCES and the typed ones): confidence (float),
  evidence (the sentence that supports it), field, start, end (offsets of the first supporting
  mention in that field); MENTIONS also has mention_count (int) and mentions (tuple of
  kg.records.Mention); the typed ones (USES ... OUTPERFORMS) also have cue (str: the words
  that decided the relation, e.g. "evaluated", "compared to"). evidence/field/start/end are
  None only when the linker gave no mention.
- VARIANT_OF (entity -> entity): no attributes.
- BUILDS_ON (paper -> paper): via (tuple of entity ids the later paper uses and the earlier
  introduces).
- RELATED_TO (paper -> paper): score, entity_score, text_score (floats), rank (1-based),
  shared (tuple of entity ids, the ones that weigh most first), reason (a short sentence).

Graph attributes (graph.graph): top_k (int: RELATED_TO edges kept per paper).
"""
from __future__ import annotations

from kg.records import ENTITY_TYPES

PAPER = "Paper"
NODE_KINDS = (PAPER,) + ENTITY_TYPES

MENTIONS = "MENTIONS"
INTRODUCES = "INTRODUCES"
USES = "USES"
EVALUATES_ON = "EVALUATES_ON"
TRAINS_ON = "TRAINS_ON"
FINE_TUNES = "FINE_TUNES"
RUNS_ON = "RUNS_ON"
COMPARES_WITH = "COMPARES_WITH"
OUTPERFORMS = "OUTPERFORMS"
VARIANT_OF = "VARIANT_OF"
BUILDS_ON = "BUILDS_ON"
RELATED_TO = "RELATED_TO"

PAPER_ENTITY_RELATIONS = (
    MENTIONS, INTRODUCES, USES, EVALUATES_ON, TRAINS_ON, FINE_TUNES, RUNS_ON, COMPARES_WITH, OUTPERFORMS,
)
EDGE_TYPES = PAPER_ENTITY_RELATIONS + (VARIANT_OF, BUILDS_ON, RELATED_TO)


def paper_node(paper_id: str) -> str:
    return f"paper:{paper_id}"


def entity_node(entity_id: str) -> str:
    return f"entity:{entity_id}"
