"""The public JSON shape of linker output (one record per paper) and the corpus summary."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable

from kg.records import ENTITY_TYPES, PaperEntities


def entities_record(pe: PaperEntities) -> dict:
    """{"paper", "title", "entities": [{"id", "type", "label", "introduced", "confidence", "mentions"}]}.

    This shape is a public interface (kg entities --format jsonl): keep it stable.
    """
    return {
        "paper": pe.paper.id,
        "title": pe.paper.title,
        "entities": [
            {
                "id": le.entity.id,
                "type": le.entity.type,
                "label": le.entity.label,
                "introduced": le.introduced,
                "confidence": le.confidence,
                "mentions": [{"text": m.text, "field": m.field, "start": m.start, "end": m.end} for m in le.mentions],
            }
            for le in pe.entities
        ],
    }


def summarize(results: Iterable[PaperEntities]) -> list[tuple[str, str, str, int, bool]]:
    """(type, id, label, paper count, known) for every entity, by type then most papers first."""
    papers: Counter = Counter()
    info: dict[str, tuple[str, str, bool]] = {}
    for pe in results:
        for le in pe.entities:
            papers[le.entity.id] += 1
            info.setdefault(le.entity.id, (le.entity.type, le.entity.label, le.entity.known))
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    rows = [(info[e][0], e, info[e][1], n, info[e][2]) for e, n in papers.items()]
    rows.sort(key=lambda r: (order.get(r[0], 9), -r[3], r[1]))
    return rows


def type_counts(rows) -> dict[str, tuple[int, int]]:
    """type -> (entities, of which discovered outside the KB)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for etype, _id, _label, _n, known in rows:
        out[etype][0] += 1
        out[etype][1] += not known
    return {t: tuple(v) for t, v in out.items()}
