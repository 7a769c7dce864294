"""De-duplication: which records are one paper, and how their fields merge.

Two records are one paper when they share an arXiv id or a normalized title (transitively: A~B
by id and B~C by title puts A, B and C together).

Streaming in two passes over the input (the files are read twice):
1. `KeyIndex.add` every record: memory holds one 64-bit key digest per distinct arXiv id and
   per distinct title key (a dict of int -> group number, ~100 bytes per entry) plus 16 bytes
   per group: about 200 bytes per unique paper with an arXiv id, about 100 without. It grows
   with the number of unique papers, never with their text. Readers that can (jsonl, json)
   skip every field but id, title and abstract in this pass.
2. `merge_stream` re-reads the records: a paper seen once is yielded at once; a duplicated
   paper is merged as its occurrences arrive (only those partial merges are held) and yielded
   at its last occurrence. Output order is therefore input order, except that a duplicated
   paper comes where its last copy was.

Two different keys share a 64-bit digest with probability ~n^2/2^65 (1e-7 at 2 million
papers); such a collision would merge two papers.
"""
from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator

from kg.corpus.normalize import _key_of_clean, parse_arxiv_id
from kg.records import Link, Paper


def _digest(kind: bytes, value: str) -> int:
    return int.from_bytes(hashlib.blake2b(kind + value.encode("utf-8"), digest_size=8).digest(), "little")


def paper_keys(paper: Paper) -> tuple[int, ...]:
    """The de-duplication keys of a record: its normalized title, and its arXiv id if any."""
    keys = [_digest(b"t:", _key_of_clean(paper.title))]  # Paper titles are already clean
    arxiv = parse_arxiv_id(paper.id)
    if arxiv:
        keys.append(_digest(b"a:", arxiv))
    return tuple(keys)


class KeyIndex:
    """Union-find over groups of records that share a key; counts occurrences per group."""

    def __init__(self) -> None:
        self._group: dict[int, int] = {}
        self._parent = array("q")  # 8 bytes per group, where a list would take ~36
        self._count = array("q")

    def _find(self, group: int) -> int:
        root = group
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[group] != root:  # path compression
            self._parent[group], group = root, self._parent[group]
        return root

    def add(self, keys: tuple[int, ...]) -> None:
        roots = sorted({self._find(self._group[k]) for k in keys if k in self._group})
        if roots:
            group = roots[0]
            for other in roots[1:]:
                self._parent[other] = group
                self._count[group] += self._count[other]
        else:
            group = len(self._parent)
            self._parent.append(group)
            self._count.append(0)
        self._count[group] += 1
        for key in keys:
            self._group.setdefault(key, group)

    def group_of(self, keys: tuple[int, ...]) -> tuple[int, int]:
        """(group, occurrences) of a record added before; (-1, 1) if it was never added."""
        for key in keys:
            if key in self._group:
                root = self._find(self._group[key])
                return root, self._count[root]
        return -1, 1

    def __len__(self) -> int:
        return sum(1 for g, p in enumerate(self._parent) if g == p)


def _richness(text: str) -> tuple[int, int]:
    # longer wins; at equal length the one keeping accents (TÜLU over TULU)
    return len(text), 0 if text.isascii() else sum(1 for ch in text if ord(ch) > 127)


def _richer_text(a: str, b: str) -> str:
    return b if _richness(b) > _richness(a) else a


def _merge_links(a: tuple[Link, ...], b: tuple[Link, ...]) -> tuple[Link, ...]:
    links = {link.url: link for link in a}
    for link in b:
        if link.url not in links or links[link.url].kind == "other":
            links[link.url] = link
    return tuple(links.values())


def _union(a: tuple, b: tuple) -> tuple:
    return a + tuple(x for x in b if x not in a)


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def merge_papers(a: Paper, b: Paper) -> Paper:
    """One paper from two records of it: no field is lost, the richer value wins.

    id: an arXiv id if either has one, else a's. Title/abstract: the longer (then the
    one with accents). Date: the earlier
    (first publication). Authors: the longer list. Counts, upvotes: the larger. Links,
    categories, sources: union in order.
    """
    a_arxiv, b_arxiv = parse_arxiv_id(a.id), parse_arxiv_id(b.id)
    dates = [d for d in (a.date, b.date) if d]
    return Paper(
        id=a_arxiv or b_arxiv or a.id,
        title=_richer_text(a.title, b.title),
        abstract=_richer_text(a.abstract, b.abstract),
        date=min(dates) if dates else None,
        authors=b.authors if len(b.authors) > len(a.authors) else a.authors,
        author_count=_max(a.author_count, b.author_count),
        upvotes=_max(a.upvotes, b.upvotes),
        links=_merge_links(a.links, b.links),
        sources=_union(a.sources, b.sources),
        categories=_union(a.categories, b.categories),
    )


def merge_stream(records: Iterable[Paper], index: KeyIndex) -> Iterator[Paper]:
    """Second pass: yield each unique paper once, merged, given the index of the first pass."""
    pending: dict[int, tuple[Paper, int]] = {}
    for paper in records:
        group, total = index.group_of(paper_keys(paper))
        if total == 1:
            yield paper
            continue
        merged, seen = pending.pop(group, (None, 0))
        merged = paper if merged is None else merge_papers(merged, paper)
        if seen + 1 >= total:
            yield merged
        else:
            pending[group] = (merged, seen + 1)
    yield from (merged for merged, _ in pending.values())  # only if the input changed between passes
