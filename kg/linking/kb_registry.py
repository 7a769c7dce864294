"""Knowledge bases the linker's spaCy components reach through their serializable `kb_ref` setting.

A component's config holds only a string; the knowledge base itself is shared by reference in this
process-wide registry (register_kb), or loaded on first use when a ref names a KB directory.
"""
from __future__ import annotations

from kg.linking.kb import KnowledgeBase, load_kb

_KBS: dict[str, KnowledgeBase] = {}


def register_kb(kb: KnowledgeBase) -> str:
    """Make kb reachable by components through their serializable `kb_ref` setting."""
    ref = kb.digest or f"mem-{id(kb)}"
    _KBS[ref] = kb
    return ref


def get_kb(ref: str) -> KnowledgeBase:
    """The knowledge base registered under ref (loaded, and then registered, when it is not)."""
    if ref and ref in _KBS:
        return _KBS[ref]
    kb = load_kb(ref) if ref and not ref.startswith("mem-") and "/" in ref else load_kb()
    _KBS[ref or kb.digest] = kb
    return kb
