"""linking stage: find methods, models, datasets and hardware in papers and link them to entities.

    from kg.linking import link_papers, load_kb
    for pe in link_papers(read_papers()):
        ...
"""
# first: decides whether the modules below load compiled or from their sources
from kg.linking import compiled  # noqa: F401  isort: skip
from kg.linking.kb import KnowledgeBase, load_kb

__all__ = ["KnowledgeBase", "link_papers", "load_kb"]


def __getattr__(name: str):
    # spaCy takes ~0.5 s to import; every `kg` command imports this package, few of them link.
    if name == "link_papers":
        from kg.linking.link import link_papers

        return link_papers
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
