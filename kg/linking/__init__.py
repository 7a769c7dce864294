"""linking stage: find methods, models, datasets and hardware in papers and link them to entities.

    from kg.linking import link_papers, load_kb
    for pe in link_papers(read_papers()):
        ...
"""
from kg.linking.kb import KnowledgeBase, load_kb
from kg.linking.link import link_papers

__all__ = ["KnowledgeBase", "link_papers", "load_kb"]
