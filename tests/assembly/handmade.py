"""Hand-linked PaperEntities built from real sample-corpus papers, for unit tests.

The entities are chosen by hand (the way a linker would find them); mentions are located in the
real title/abstract text and carry the real sentence, so relation typing sees real sentences.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

from kg.records import Entity, LinkedEntity, Mention, PaperEntities

_SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]|$)")


def _sentences(text: str):
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            lead = len(match.group(0)) - len(match.group(0).lstrip())
            yield match.start() + lead, match.group(0).strip()


def mentions_of(paper, surface: str) -> tuple[Mention, ...]:
    found = []
    for field in ("title", "abstract"):
        text = getattr(paper, field)
        for start, sentence in _sentences(text):
            for m in re.finditer(re.escape(surface), sentence):
                if (m.start() and sentence[m.start() - 1].isalnum()) or (
                        m.end() < len(sentence) and sentence[m.end()].isalnum()):
                    continue
                s = start + m.start()
                found.append(Mention(surface, field, s, s + len(surface), sentence, 0.95))
    return tuple(found)


def entity(eid, etype, label, aliases=(), parent=None, known=True):
    return Entity(id=eid, type=etype, label=label, aliases=tuple(aliases), parent=parent, known=known)


def link(paper, ent: Entity, *surfaces: str, introduced=False) -> LinkedEntity:
    mentions = tuple(m for s in (surfaces or (ent.label,)) for m in mentions_of(paper, s))
    assert mentions, f"{surfaces or ent.label} not in {paper.title}"
    return LinkedEntity(ent, introduced, 0.95, mentions)


def kb_of(*entities: Entity):
    return SimpleNamespace(entities={e.id: e for e in entities})
