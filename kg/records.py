"""Records shared by every stage: corpus -> linking -> assembly -> exporters/sparql.

All are frozen dataclasses holding tuples, so a record can be hashed, cached, pickled to a
worker process and compared in tests. Stages pass these forward only; no stage mutates them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("Method", "Model", "Dataset", "Hardware")
FIELDS = ("title", "abstract")


@dataclass(frozen=True)
class Source:
    """Where a paper record was read: file path and 1-based line of the record's first line."""

    path: str
    line: int


@dataclass(frozen=True)
class Link:
    """A URL found in a paper record; kind is "code", "project" or "other"."""

    url: str
    kind: str = "other"


@dataclass(frozen=True)
class Paper:
    """One paper after de-duplication.

    id is the arXiv id when known, else a stable hash of the normalized title.
    date is ISO 8601 (YYYY-MM-DD) or None when the input gives no full date.
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    upvotes: int | None = None
    links: tuple[Link, ...] = ()
    sources: tuple[Source, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    """A canonical entity: from the knowledge base (known=True) or discovered in the corpus."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    description: str | None = None
    external_ids: tuple[tuple[str, str], ...] = ()
    known: bool = True


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a paper; start/end are offsets into that field's text."""

    text: str
    field: str
    start: int
    end: int
    sentence: str
    confidence: float


@dataclass(frozen=True)
class LinkedEntity:
    """An entity as found in one paper: which canonical entity, how sure, and where."""

    entity: Entity
    introduced: bool
    confidence: float
    mentions: tuple[Mention, ...] = field(default=())


@dataclass(frozen=True)
class PaperEntities:
    """The linker's output for one paper."""

    paper: Paper
    entities: tuple[LinkedEntity, ...] = ()
