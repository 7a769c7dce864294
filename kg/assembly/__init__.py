"""assembly stage: linked papers -> one persisted knowledge graph (see schema.py for its shape).

build_graph (build.py) adds papers, entities, typed relations (relations.py), families,
BUILDS_ON and RELATED_TO (related.py); save_graph / load_graph (store.py) persist it.
"""
from kg.assembly.build import build_graph
from kg.assembly.store import load_graph, save_graph

__all__ = ["build_graph", "load_graph", "save_graph"]
