"""Scoring of linker output against gold annotations (the rules of ../shared/gold/README.md).

Document level, per type: a predicted entity matches a gold entity of the same type when one of
its mention texts equals one of the gold surface forms (text or aliases) after normalization
(NFKC, lowercase, non-alphanumerics removed); one-to-one, gold entities in file order, each
taking the first unused matching prediction. Linking accuracy: over pairs of matched entities of
one type in two papers where gold or prediction says "same entity", the share where both agree.
Introduced: precision/recall of the introduced flag.

Not supported: span-level (offset) scoring; the gold has surface forms only.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from kg.records import ENTITY_TYPES


def score_norm(text: str) -> str:
    """The scorer's normalization (coarser than the linker's keys: every separator goes)."""
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Evaluation:
    """Counts and figures of one scoring run; `errors` lists misses and false hits per paper."""

    counts: dict[str, list[int]]
    linking_right: int
    linking_pairs: int
    introduced: list[int]
    missing_papers: list[str]
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)  # (paper, kind, type, text)
    link_errors: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def rows(self) -> dict[str, tuple[float, float, float, int, int, int]]:
        rows = {t: _prf(*self.counts[t]) + tuple(self.counts[t]) for t in ENTITY_TYPES}
        tot = [sum(self.counts[t][i] for t in ENTITY_TYPES) for i in range(3)]
        rows["micro"] = _prf(*tot) + tuple(tot)
        return rows

    @property
    def linking_accuracy(self) -> float:
        return self.linking_right / self.linking_pairs if self.linking_pairs else 0.0

    def introduced_prf(self) -> tuple[float, float, float]:
        return _prf(*self.introduced)

    def as_dict(self) -> dict:
        ip, ir, if1 = self.introduced_prf()
        return {
            "types": {k: dict(zip(("precision", "recall", "f1", "tp", "fp", "fn"), v)) for k, v in self.rows().items()},
            "linking_accuracy": self.linking_accuracy,
            "linking_pairs": self.linking_pairs,
            "introduced": {"precision": ip, "recall": ir, "f1": if1},
            "papers_missing_from_prediction": len(self.missing_papers),
        }


def evaluate(gold: list[dict], predicted: list[dict]) -> Evaluation:
    """Score predicted records (the `kg entities --format jsonl` shape) against gold records."""
    gold_by_id = {g["id"]: g for g in gold}
    pred = {p.get("paper", p.get("id")): p for p in predicted}
    counts = {t: [0, 0, 0] for t in ENTITY_TYPES}
    intro = [0, 0, 0]
    matched = []
    errors = []
    missing = [pid for pid in gold_by_id if pid not in pred]
    for pid, g in gold_by_id.items():
        p = pred.get(pid, {"entities": []})
        for t in ENTITY_TYPES:
            gents = [e for e in g["entities"] if e["type"] == t]
            pents = [e for e in p.get("entities", []) if e.get("type") == t]
            gforms = [{score_norm(e["text"])} | {score_norm(a) for a in e.get("aliases", [])} for e in gents]
            pforms = [
                {score_norm(m["text"]) for m in e.get("mentions", [])}
                | ({score_norm(e["label"])} if not e.get("mentions") and e.get("label") else set())
                for e in pents
            ]
            used: set[int] = set()
            for gi, gf in enumerate(gforms):
                hit = next((pi for pi, pf in enumerate(pforms) if pi not in used and gf & pf), None)
                if hit is None:
                    counts[t][2] += 1
                    errors.append((pid, "miss", t, gents[gi]["text"]))
                    if gents[gi].get("introduced"):
                        intro[2] += 1
                    continue
                used.add(hit)
                counts[t][0] += 1
                matched.append((pid, t, gents[gi]["canonical"], pents[hit].get("id"), gents[gi]["text"]))
                g_intro, p_intro = bool(gents[gi].get("introduced")), bool(pents[hit].get("introduced"))
                if g_intro and p_intro:
                    intro[0] += 1
                elif p_intro:
                    intro[1] += 1
                    errors.append((pid, "false-introduced", t, gents[gi]["text"]))
                elif g_intro:
                    intro[2] += 1
                    errors.append((pid, "missed-introduced", t, gents[gi]["text"]))
            counts[t][1] += len(pents) - len(used)
            for i, e in enumerate(pents):
                if i not in used:
                    errors.append((pid, "false-hit", t, e.get("mentions", [{}])[0].get("text", e.get("label", ""))))
            intro[1] += sum(1 for i, e in enumerate(pents) if i not in used and e.get("introduced"))
    by_type = defaultdict(list)
    for m in matched:
        by_type[m[1]].append(m)
    right = total = 0
    link_errors = []
    for items in by_type.values():
        for a, b in combinations(items, 2):
            if a[0] == b[0]:
                continue
            if a[2] != b[2] and a[3] != b[3]:
                continue
            total += 1
            ok = (a[2] == b[2]) == (a[3] == b[3])
            right += ok
            if not ok:
                link_errors.append((a[4], a[2], str(a[3]), b[4], b[2], str(b[3])))
    return Evaluation(counts, right, total, intro, missing, errors, link_errors)


def format_table(ev: Evaluation) -> str:
    """The scorer's table: P/R/F1 and counts per type and micro, then linking and introduced."""
    lines = [f"{'type':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for k, v in ev.rows().items():
        lines.append(f"{k:10} {v[0]:6.3f} {v[1]:6.3f} {v[2]:6.3f} {v[3]:5d} {v[4]:5d} {v[5]:5d}")
    lines.append(f"linking accuracy {ev.linking_accuracy:.3f} over {ev.linking_pairs} cross-paper pairs")
    ip, ir, if1 = ev.introduced_prf()
    lines.append(f"introduced P {ip:.3f} R {ir:.3f} F1 {if1:.3f}")
    if ev.missing_papers:
        lines.append(f"warning: {len(ev.missing_papers)} gold papers absent from the prediction")
    return "\n".join(lines)
