"""Relation typing: which typed relation, if any, a sentence states between a paper and an entity.

Pure functions over one sentence and the offsets of one mention in it. The rule is *nearest cue
wins*: cue words before the mention ("evaluated", "fine-tune", "outperforms", "using", "on") are
tried from the closest backwards, and a cue counts only when the text between it and the mention
is a short noun phrase or a list ("evaluated on MMLU, GSM8K and X"), never a clause with another
verb or preposition in it. Precision over recall: a mention with no clear cue stays MENTIONS only.

OUTPERFORMS needs the paper's own work as the subject ("we", "our", "the proposed", or a name
the paper introduces, before the cue); otherwise the sentence only states a comparison and the
relation is COMPARES_WITH. A negated cue ("without fine-tuning X", "does not outperform X")
gives nothing, or COMPARES_WITH for the comparison verbs. A sentence about prior work
("Existing methods ... using X") states no use by this paper, and a mention right after "our",
"proposed" or "novel" is the paper's own work: neither gets a relation.

Not supported: cues after the mention other than "X-based" and "X as the backbone/baseline",
passive sentences with the entity as subject ("Llama was fine-tuned on ..."), relations that
span two sentences, languages other than English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from kg.assembly.schema import (
    COMPARES_WITH, EVALUATES_ON, FINE_TUNES, OUTPERFORMS, RUNS_ON, TRAINS_ON, USES,
)

# How much of the sentence before/after the mention a cue may be drawn from.
LEFT_WINDOW = 160
RIGHT_WINDOW = 60

# Which relations each entity type can take (the relation table).
RELATIONS_BY_TYPE = {
    "Method": (USES, COMPARES_WITH, OUTPERFORMS),
    "Model": (USES, FINE_TUNES, COMPARES_WITH, OUTPERFORMS),
    "Dataset": (EVALUATES_ON, TRAINS_ON),
    "Hardware": (RUNS_ON,),
}


@dataclass(frozen=True)
class TypedRelation:
    """A relation a sentence supports: its name, the cue text that decided it, and how sure."""

    relation: str
    cue: str
    confidence: float


# --- regex building blocks -------------------------------------------------------------------
# Function words that end a noun phrase: a gap containing one of them is a clause, not a list.
_STOP = (
    r"(?:as|than|to|of|in|on|at|for|from|by|with|without|into|onto|via|through|that|which|who|"
    r"while|whereas|but|and|or|nor|not|no|is|are|was|were|be|been|being|has|have|had|we|they|it|"
    r"us|using|use|uses|used|vs|versus|against|compared|across|when|where|because|since|"
    r"although|if|then|after|before|over|under|between|among|per|can|could|will|would|may|might|"
    r"should|must|do|does|did|i\.e\.|e\.g\.|such|including)"
)
_WORD = r"[^\s,;:()\[\]]+"
_FILLTOKEN = rf"(?!{_STOP}(?![^\s,;:()\[\]])){_WORD}"
_FILLWORD = rf"{_FILLTOKEN}(?:\s+|(?=[:(]))"
_ITEM = rf"(?!{_STOP}(?![^\s,;:()\[\]])){_WORD}(?:\s+(?!{_STOP}(?![^\s,;:()\[\]])){_WORD}){{0,5}}"
_SEP = r"(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&|as\s+well\s+as)\s+|\s*/\s*)"
_INTRODUCER = r"(?:\(\s*|:\s*|(?:e\.g\.|i\.e\.),?\s*|such\s+as\s+|including\s+|like\s+|namely\s+|especially\s+)"
_INTRO = _INTRODUCER + "?"
# A list before the mention, possibly closed by "and even closed models such as", and a vendor
# possessive right before the mention: "OpenAI's o1-mini", "Meta's Llama 3".
_LIST = (rf"(?:{_ITEM}{_SEP}){{0,8}}(?:(?:{_FILLWORD}){{0,3}}{_INTRODUCER}(?:{_ITEM}{_SEP}){{0,8}})?"
         rf"(?:{_FILLWORD}){{0,2}}(?:[\w.-]+['’]s\s+)?")
_PERF = r"(?:(?:the\s+)?(?:performance|results?|accuracy|quality|capabilit(?:y|ies)|versions?|variants?|counterparts?)\s+of\s+)?"
_NUM = r"(?:a|an|one|single|two|three|four|eight|sixteen|multiple|several|\d[\d,.]*k?)"


def _object_gap(max_fill: int = 4) -> re.Pattern:
    """Cue directly governs the mention: `cue [of] [few words] [such as] [A, B and] MENTION`."""
    return re.compile(rf"\s+(?:of\s+)?(?:{_FILLWORD}){{0,{max_fill}}}{_PERF}{_INTRO}{_LIST}", re.I)


def _prep_gap(preps: str, pre_fill: int = 8, post_fill: int = 3, also: str = "") -> re.Pattern:
    """Cue then a preposition: `cue [words] on [the three benchmarks:] [A, B and] MENTION`.

    also: function words allowed between cue and preposition ("results for X on", "results of").
    """
    token = rf"(?:{_FILLTOKEN}|{also})" if also else _FILLTOKEN
    return re.compile(
        rf"(?:\s+{token}){{0,{pre_fill}}}\s+(?:{preps})\s+"
        rf"(?:{_FILLWORD}){{0,{post_fill}}}{_INTRO}{_LIST}",
        re.I,
    )


_HARDWARE_GAP = re.compile(
    rf"\s*(?:{_NUM}\s*(?:[x×]\s*)?)*(?:(?:nvidia|google|amd|intel|apple|tesla|cloud)\s+)?{_LIST}",
    re.I,
)
_OBJ = _object_gap()
_OBJ_SHORT = _object_gap(2)
_EVAL_GAP = _prep_gap(r"on|across|using", also=r"for|of")
_TRAIN_GAP = _prep_gap(r"on|using|with|from", post_fill=4)
_TUNE_DATA_GAP = _prep_gap(r"on|using|with", post_fill=4)
_TRAIN_METHOD_GAP = _prep_gap(r"with|using|via", pre_fill=3, post_fill=2)


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern
    # entity type -> (relation, gap pattern, confidence)
    targets: dict


def _cue(regex: str, **targets) -> _Cue:
    return _Cue(re.compile(regex, re.I), targets)


_TRAIN = r"\b(?:pre-?|re-?|post-?|co-?)?train(?:s|ed|ing)?\b"
_TUNE = r"\b(?:fine|instruction|instruct)[- ]?tun(?:e|es|ed|ing)\b|\bfinetun(?:e|es|ed|ing)\b"
_EVAL = (
    r"\b(?:evaluat(?:e|es|ed|ing|ion|ions)|test(?:s|ed|ing)?|benchmark(?:s|ed|ing)?|"
    r"assess(?:es|ed|ing|ment)?|validat(?:e|es|ed|ing)|experiments?|results?|performance|"
    r"accurac(?:y|ies)|scores?|achiev(?:e|es|ed|ing)|sota|state[- ]of[- ]the[- ]art|gains?|"
    r"improvements?|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?)\b"
)
_USE = (
    r"\b(?:(?<!widely\s)(?<!commonly\s)(?<!frequently\s)(?<!often\s)(?<!most\s)use[sd]?|using|utiliz(?:e|es|ed|ing)|leverag(?:e|es|ed|ing)|employ(?:s|ed|ing)?|"
    r"adopt(?:s|ed|ing)?|appl(?:y|ies|ied|ying)|build(?:s|ing)?\s+(?:up)?on|built\s+(?:up)?on|"
    r"based\s+on|on\s+top\s+of|initiali[sz](?:e|es|ed|ing)\s+(?:from|with)|"
    r"distill(?:s|ed|ing)?\s+from|extend(?:s|ed|ing)?|incorporat(?:e|es|ed|ing)|"
    r"integrat(?:e|es|ed|ing)|powered\s+by|equipped\s+with|via)\b"
)
_COMPARE = (
    r"\b(?:compar(?:e|es|ed|ing|ison|isons|able)(?:\s+[\w-]+){0,3}?\s+(?:with|to|against)|"
    r"competitive\s+with|on\s+par\s+with|relative\s+to|vs\.?|versus|against|rival(?:s|ing)?|"
    r"match(?:es|ing)?|baselines?|(?:outperformed|surpassed|beaten|exceeded)\s+by)(?![\w-])"
)
_BEAT = (
    r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?|"
    r"(?:better|stronger|faster)\s+than|superior\s+to|improv(?:e|es|ed|ing)\s+(?:up)?on|"
    r"improv(?:e|es|ed|ing|ements?)\s+over)\b"
)

_CUES = (
    _cue(_TRAIN, Dataset=(TRAINS_ON, _TRAIN_GAP, 0.9), Method=(USES, _TRAIN_METHOD_GAP, 0.8)),
    _cue(_TUNE, Model=(FINE_TUNES, _OBJ, 0.9), Dataset=(TRAINS_ON, _TUNE_DATA_GAP, 0.9)),
    _cue(_EVAL, Dataset=(EVALUATES_ON, _EVAL_GAP, 0.85)),
    _cue(_USE, Method=(USES, _OBJ, 0.85), Model=(USES, _OBJ, 0.85)),
    _cue(_COMPARE, Method=(COMPARES_WITH, _OBJ, 0.85), Model=(COMPARES_WITH, _OBJ, 0.85)),
    _cue(_BEAT, Method=(OUTPERFORMS, _OBJ, 0.85), Model=(OUTPERFORMS, _OBJ, 0.85)),
    _cue(r"\b(?:on|using|with|across|over|via)\b|\d\s*[x×](?=\s*$)", Hardware=(RUNS_ON, _HARDWARE_GAP, 0.9)),
)

_RIGHT_CUES = (
    # "Transformer-based", "LoRA based"
    (re.compile(r"^\s*-?\s*based\b", re.I), ("Method", "Model"), USES, 0.8),
    (re.compile(r"^\s*(?:serves?\s+|acts?\s+)?as\s+(?:the|a|an|our)\s+(?:[\w-]+\s+){0,2}?"
                r"(?:backbones?|base(?:\s+models?)?|encoders?|decoders?|teachers?|students?|judges?|"
                r"evaluators?|reward\s+models?|polic(?:y|ies)|initiali[sz]ations?)\b", re.I),
     ("Method", "Model"), USES, 0.8),
    (re.compile(r"^\s*(?:as\s+(?:the|a|our)\s+)?(?:strong\s+)?baselines?\b", re.I),
     ("Method", "Model"), COMPARES_WITH, 0.75),
)

_NEGATION = re.compile(
    r"\b(?:not(?!\s+only\b)|never|no|without|instead\s+of|rather\s+than|unable\s+to|fail(?:s|ed)?\s+to)\s+"
    r"(?:[\w-]+\s+){0,2}$|n't\s+(?:[\w-]+\s+){0,1}$",
    re.I,
)
_SELF = re.compile(
    r"\b(?:we|our|ours|proposed|this\s+(?:paper|work|approach|method|model|framework)|"
    r"the\s+resulting|it)\b",
    re.I,
)
_COMPARISON_VERBS = (OUTPERFORMS, COMPARES_WITH)
# The paper's own thing right before the mention ("the proposed IIR-SNNs", "our novel X").
_OWN = re.compile(r"\b(?:our|proposed|novel)\s+(?:[\w-]+\s+)?$", re.I)
# A sentence about prior work: what it uses or trains on is not the paper's doing.
_PRIOR_WORK = re.compile(
    r"^\W*(?:however,?\s+)?(?:existing|previous|prior|conventional|traditional|current|modern|recent|"
    r"many|most|some)\b", re.I)


def _clip_left(sentence: str, start: int) -> str:
    left = sentence[max(0, start - LEFT_WINDOW):start]
    cut = left.rfind(";")
    return left[cut + 1:] if cut >= 0 else left


def _is_self_subject(prefix: str, self_names: Iterable[str]) -> bool:
    if _SELF.search(prefix):
        return True
    low = prefix.lower()
    return any(name and name.lower() in low for name in self_names)


def find_relation(
    sentence: str,
    start: int,
    end: int,
    entity_type: str,
    *,
    self_names: Iterable[str] = (),
) -> TypedRelation | None:
    """The typed relation `sentence` states for the mention at sentence[start:end], or None.

    self_names: names of what the paper introduces, so "COAT outperforms X" counts as the
    paper's own claim. Only relations allowed for entity_type (RELATIONS_BY_TYPE) are returned.
    """
    if entity_type not in RELATIONS_BY_TYPE or not 0 <= start <= end <= len(sentence):
        return None
    left = _clip_left(sentence, start)
    offset = start - len(left)
    if _OWN.search(left):
        return None
    prior_work = bool(_PRIOR_WORK.match(sentence))
    found = []
    for cue in _CUES:
        target = cue.targets.get(entity_type)
        if target is None:
            continue
        for match in cue.pattern.finditer(left):
            found.append((match.end(), match.start(), match.group(0), target))
    # Nearest cue first; at the same end, the longer cue ("outperformed by" over "by").
    for cue_end, cue_start, text, (relation, gap, confidence) in sorted(found, key=lambda f: (-f[0], f[1])):
        if not gap.fullmatch(left, cue_end):
            continue
        negated = bool(_NEGATION.search(left[:cue_start]))
        if relation in _COMPARISON_VERBS:
            if negated or (relation == OUTPERFORMS
                           and not _is_self_subject(sentence[:offset + cue_start], self_names)):
                return TypedRelation(COMPARES_WITH, text, round(confidence * 0.9, 4))
            return TypedRelation(relation, text, confidence)
        if negated or prior_work:
            return None
        return TypedRelation(relation, text, confidence)
    right = sentence[end:end + RIGHT_WINDOW]
    for pattern, types, relation, confidence in _RIGHT_CUES:
        if entity_type in types and not (prior_work and relation == USES):
            match = pattern.match(right)
            if match:
                return TypedRelation(relation, match.group(0).strip(), confidence)
    return None


def locate_mention(sentence: str, text: str, start: int, field_text: str | None = None) -> tuple[int, int] | None:
    """Offsets of a mention inside its sentence.

    start is the mention's offset in the field text; when field_text is given and contains the
    sentence around that offset, the result is exact. Otherwise the first occurrence of the
    mention text in the sentence (case-insensitive) is used; None when it is not there.
    """
    # The linker may end a title sentence with a period the title does not have.
    for probe in (sentence, sentence.rstrip(". ")) if field_text is not None else ():
        if not probe:
            continue
        # rfind's end bound applies to the whole probe: candidates start at or before `start`.
        pos = field_text.rfind(probe, 0, start + len(probe))
        while pos >= 0:
            rel = start - pos
            if rel + len(text) <= len(probe) and sentence[rel:rel + len(text)] == text:
                return rel, rel + len(text)
            pos = field_text.rfind(probe, 0, pos + len(probe) - 1)
    rel = sentence.find(text)
    if rel < 0:
        rel = sentence.lower().find(text.lower())
    return (rel, rel + len(text)) if rel >= 0 and text else None
