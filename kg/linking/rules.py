"""Pure rule functions of the linker: text preparation, abbreviations, name shapes, typing.

Everything here works on plain strings and lists so it can be tested alone and reused outside
spaCy. The spaCy components in kg/linking (see pipeline.py) call these.

Every rule states a general convention of ML writing (model names carry sizes, benchmarks end in
"Bench"/"QA", "we propose X" introduces X, "Long Form (LF)" defines an abbreviation). Not
supported: abbreviations written "LF (long form)", names split across a line-broken hyphen.
"""
from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache

from kg.linking.normalize import normalize_key

# ---------------------------------------------------------------------------------------------
# Text preparation: one line of text, title + ". " + abstract, with a map back to the originals.


_RUN_RE = re.compile(r"\S+(?: \S+)*")
# LaTeX's non-breaking space before a parenthesis: "Increment Regularization~(FAIR)", "models~(LLMs)"
_TILDE_PAREN_RE = re.compile(r"(?<=\w)~\(")


def prepare_text(title: str, abstract: str) -> tuple[str, int, tuple[tuple[int, int, int], ...]]:
    """Join title and abstract into one whitespace-normalized string.

    Returns (text, abstract_start, segments) where segments holds (text_start, field_index,
    field_start) for every run of text copied verbatim (runs end at newlines, tabs and multiple
    spaces), so offsets can be mapped back. Newlines and runs of spaces stop spaCy's tokenizer
    cache, hence the normalization. A LaTeX "~(" becomes " (" (same length, so offsets hold),
    so "Long Form~(LF)" is read as a definition.
    """
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    pos = 0
    abstract_start = 0
    for field_index, value in enumerate((title or "", abstract or "")):
        if "~(" in value:
            value = _TILDE_PAREN_RE.sub(" (", value)
        if field_index == 1:
            if parts:
                sep = " " if parts[-1][-1:] in ".?!" else ". "
                parts.append(sep)
                pos += len(sep)
            abstract_start = pos
        if _is_one_run(value):  # already normalized (the corpus readers do it)
            segments.append((pos, field_index, 0))
            parts.append(value)
            pos += len(value)
            continue
        first = True
        for m in _RUN_RE.finditer(value):
            if not first:
                parts.append(" ")
                pos += 1
            first = False
            segments.append((pos, field_index, m.start()))
            run = m.group()
            parts.append(run)
            pos += len(run)
    return "".join(parts), abstract_start, tuple(segments)


def _is_one_run(value: str) -> bool:
    """No whitespace but single spaces between words: isprintable() is False for every other
    whitespace character (tabs, newlines, no-break and em spaces...)."""
    return bool(value) and value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " "


def map_offsets(words, starts_index, start: int, end: int) -> tuple[int, int, int]:
    """(field_index, field_start, field_end) of text[start:end]; the span must not cross fields."""
    w = bisect.bisect_right(starts_index, start) - 1
    text_start, field_index, field_start = words[w]
    w_end = bisect.bisect_right(starts_index, end - 1) - 1
    e_text_start, _e_field, e_field_start = words[w_end]
    return field_index, field_start + (start - text_start), e_field_start + (end - e_text_start)


# ---------------------------------------------------------------------------------------------
# Abbreviations (Schwartz & Hearst 2003 style): "Direct Preference Optimization (DPO)".

_SHORT_RE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9&.+-]{0,11}$")


def is_short_form(text: str) -> bool:
    """Could text be an abbreviation: 2-12 chars, a letter, at least two capitals or mixed case."""
    if not _SHORT_RE.match(text) or len(text) < 2:
        return False
    uppers = sum(c.isupper() for c in text)
    return uppers >= 2 or (uppers >= 1 and any(c.isdigit() for c in text)) or (uppers == 1 and not text[0].isupper())


def find_abbreviation(long_words: list[str], short: str) -> int | None:
    """Index in long_words where the long form of short starts, or None.

    Walks the short form's letters right to left over the candidate words' characters; the
    first short-form character must start a word. The long form may not be much longer than
    the short form (at most min(len+5, 2*len) words).
    """
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not long_words:
        return None
    max_words = min(len(letters) + 5, 2 * len(letters))
    # first choice: the capitals of the last words spell the short form ("Swarm sAmpling Policy
    # Optimization (SAPO)"), which the letter walk alone would cut to "sAmpling ..."
    caps = "".join(c for c in short if c.isupper())
    if len(caps) >= 2:
        got = ""
        for k in range(len(long_words) - 1, max(-1, len(long_words) - 1 - max_words), -1):
            got = "".join(c for c in long_words[k] if c.isupper()) + got
            if got == caps and long_words[k][:1].isupper():
                return k
            if not caps.endswith(got):
                break
    window = long_words[-max_words:]
    offset = len(long_words) - len(window)
    chars = " ".join(window).lower()
    s_i = len(letters) - 1
    l_i = len(chars) - 1
    while s_i >= 0:
        c = letters[s_i]
        # the first letter of the short form must begin a word
        while l_i >= 0 and (chars[l_i] != c or (s_i == 0 and l_i > 0 and chars[l_i - 1].isalnum())):
            l_i -= 1
        if l_i < 0:
            return None
        l_i -= 1
        s_i -= 1
    start_char = l_i + 1
    word_index = chars[:start_char].count(" ")
    n_words = len(window) - word_index
    if n_words > max_words or n_words < 1:
        return None
    # the long form must not be the short form itself or a single word equal to it
    if n_words == 1 and normalize_key(window[word_index]) == normalize_key(short):
        return None
    return offset + word_index


# ---------------------------------------------------------------------------------------------
# Name shapes.

_SIZE_RE = re.compile(r"^(?:\d+(?:\.\d+)?[BMKT]|\d+x\d+(?:\.\d+)?B)$", re.IGNORECASE)
# Suffix segments that make a variant of a model family: sizes, versions, tuning and modality.
VARIANT_WORDS = frozenset(
    """instruct instruction chat base it hf sft rl rlhf dpo preview mini nano tiny small medium large xl
    xxl xsmall xlarge xxlarge pro plus max ultra turbo flash lite vision vl v coder code math reasoning thinking distill
    omni audio video r1 zero distilled int4 int8 awq gptq gguf fp8 mm o1 rm prm orm reward sonnet haiku
    opus""".split()
)
NUMBER_FORMAT_RE = re.compile(r"^(?:FP|BF|TF|INT|UINT|MXFP|NVFP|MXINT|E\dM)\d+$", re.IGNORECASE)
_HARDWARE_RE = re.compile(
    r"^(?:[AHBVL]\d{2,3}[A-Z]?|GH200|GB200|GB300|MI\d{3}X?|RTX\d{4}|TPUv\d+[a-z]*|Gaudi\d|Jetson.*)$"
)


# Regular expressions over the whole text find candidates. Each starts with a literal, best a rare
# one ("resulting", "ur "), so the regex engine jumps from one occurrence to the next; a leading
# character class is tested at every character and a leading look-around, "\b" or optional item
# starts a match attempt at every position (up to 10x slower). Context goes in look-behinds after
# the literal.
# Digits are [0-9]: "\d" tests every character for any Unicode digit (twice as slow).
HARDWARE_RE = re.compile(
    r"[AHBVLGMRT](?<![\w.-][AHBVLGMRT])(?:(?<=[AHBVL])[0-9]{2,3}[A-Z]?|(?<=G)(?:H200|B200|B300|audi ?[0-9])|(?<=M)I[0-9]{3}X?"
    r"|(?<=R)TX ?[0-9]{4}|(?<=T)PU ?v[0-9]+[a-z]*)(?![\w-])"
)
# "FP8 training": found from the technique word, the format is checked on the token before.
FORMAT_TECHNIQUE_RE = re.compile(r" (?<=[0-9] )(?:training|quantization|inference|pre-?training)(?![\w-])")
# Benchmark-shaped coined names: "LiveCodeBench", "SAGE-Eval", "TruthfulQA", "MedLFQA".
DATASET_SUFFIXES = ("Bench", "-Eval", "QA")  # a text without any of these has no match (a cheap test first)
DATASET_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, DATASET_SUFFIXES)) + r")(?![\w+-])")
DATASET_SHAPE_RE = re.compile(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*?(?:-?Bench|-Eval|[a-z][A-Za-z0-9]*QA)")
# "53.0% on ProcessBench", "accuracy on Math-Hard": results are reported on a benchmark.
SCORE_ON_RE = re.compile(r"(?:%|\bpoints?|\baccuracy|\bscores?|\bF1|\bBLEU|\bpass@\d+|\bEM) on (?:the )?(?=[A-Z])")
HEAD_NOUN_RE = re.compile(r" (benchmarks?|datasets?|corpus|suite|leaderboard|testbed|models?)(?![\w-])")
# Every HEAD_NOUN_RE match starts with one of these (see find_matches_at).
HEAD_NOUN_STARTS = (" benchmark", " dataset", " corpus", " suite", " leaderboard", " testbed", " model")
SIZE_TOKEN_RE = re.compile(r"([0-9](?<=[-_ ][0-9])[0-9]*(?:\.[0-9]+)?[BMKTbmkt])(?![\w.+]|\.[0-9])")
# Pre-tests for the rare shape rules: HARDWARE_RE and SIZE_TOKEN_RE test a character class at
# every character, FORMAT_TECHNIQUE_RE starts a match at every space (50-110k instructions an
# abstract each), yet most abstracts have no hardware, sizes or number formats. bytes.translate
# maps character classes to one byte each; substring searches on that shape (C speed, a third of
# the cost) rule the regexes out.
_CAPITAL_DIGIT_SHAPE = bytes.maketrans(b"AHBVLI0123456789", b"AAAAAA0000000000")
_DIGIT_UNIT_SHAPE = bytes.maketrans(b"0123456789BMKTbmkt", b"0000000000BBBBBBBB")
_FORMAT_TECHNIQUE_SHAPE_RE = re.compile(rb"0 (?:training|quantization|inference|pre-?training)")


def shape_rules_may_match(text: str) -> tuple[bool, bool, bool]:
    """Whether HARDWARE_RE, SIZE_TOKEN_RE, FORMAT_TECHNIQUE_RE may match text (False: they cannot).

    Hardware needs a capital A/H/B/V/L/I before a digit (A100, GH200, MI300X) or "RTX", "TPU",
    "Gaudi"; a size a digit before a unit letter; a format technique a digit, a space and the
    technique word (~6%, ~30% and ~3% of abstracts).
    """
    raw = text.encode("utf-8", "surrogatepass")
    shape = raw.translate(_CAPITAL_DIGIT_SHAPE)
    hardware = b"A0" in shape or "RTX" in text or "TPU" in text or "Gaudi" in text
    size = b"0B" in raw.translate(_DIGIT_UNIT_SHAPE)
    return hardware, size, _FORMAT_TECHNIQUE_SHAPE_RE.search(shape) is not None


def find_matches_at(regex: re.Pattern, text: str, starts: tuple[str, ...]) -> list[re.Match]:
    """regex.finditer(text) for a regex whose matches each begin with one of the strings starts
    and cannot overlap (HEAD_NOUN_RE, EXAMPLES_CUE_RE): regex.match at each occurrence of those.

    A regex that starts with " " begins a match attempt at every space (~70k instructions an
    abstract); str.find jumps between the occurrences of a string at C speed.
    """
    at = set()
    for literal in starts:
        p = text.find(literal)
        while p >= 0:
            at.add(p)
            p = text.find(literal, p + 1)
    return [m for m in map(regex.match, itertools.repeat(text), sorted(at)) if m]


INTRO_TOKENS = frozenset(
    w
    for stem in "propos introduc present develop design releas construct creat curat devis contribut".split()
    for suffix in ("e", "es", "ed", "s", "")
    for w in (stem + suffix, (stem + suffix).capitalize())
) | frozenset({"build", "builds", "built", "Build", "Builds", "Built", "called", "named", "dubbed", "termed", "coined"})


def is_size(text: str) -> bool:
    """"7B", "1.5B", "8x7B", "340M": a parameter-count segment of a model name."""
    return bool(_SIZE_RE.match(text))


_VERSION_RE = re.compile(r"^v?\d+(?:\.\d+)*[a-z]?$", re.IGNORECASE)


def is_version(text: str) -> bool:
    """"v2", "2", "3.5", "2.5": a version segment."""
    return bool(_VERSION_RE.match(text))


def is_variant_segment(text: str) -> bool:
    """Can this token continue a model name as a size, version or variant word?"""
    return is_size(text) or is_version(text) or text.lower() in VARIANT_WORDS


def is_number_format(text: str) -> bool:
    """FP8, BF16, INT4, MXFP4: numeric formats, never hardware."""
    return bool(NUMBER_FORMAT_RE.match(text))


def is_hardware_shape(compact: str) -> bool:
    """Accelerator model numbers written without spaces: H100, A100, MI300X, TPUv4, RTX4090."""
    return bool(_HARDWARE_RE.match(compact)) and not is_number_format(compact)


# Organizations: generic (not entities), and a vendor prefix the KB matcher trims ("OpenAI o1").
_ORG_NAMES = """OpenAI Google Meta Microsoft NVIDIA DeepMind Anthropic Alibaba Baidu Tencent Huawei Amazon Apple
    IBM Intel AMD ByteDance""".split()
# Generic acronyms and words that look like names but are not entities of our four types.
GENERIC_KEYS = frozenset(
    normalize_key(w)
    for w in """LLM LLMs VLM VLMs MLLM MLLMs LM LMs LVLM LVLMs AI AGI NLP NLU NLG CV ML DL SOTA API
    APIs QA RAM FLOPs FLOP TFLOPs PFLOPs CUDA ID OOD IID URL HTTP JSON SQL KV
    training pretraining pre-training post-training model models framework frameworks method methods
    approach approaches pipeline pipelines technique techniques algorithm algorithms system systems
    deep-learning machine-learning large-language-model large-language-models language-model
    language-models neural-network neural-networks network networks benchmark benchmarks dataset
    datasets data corpus module modules architecture architectures agent agents task tasks
    foundation-model foundation-models learning inference optimization reasoning fine-tuning
    finetuning evaluation generation transformer-based deep-neural-network
    deep-neural-networks DNN DNNs ASR MT NMT OCR NER NLI SLU""".split()
) | frozenset(normalize_key(w) for w in _ORG_NAMES)
ORG_KEYS = frozenset(normalize_key(w) for w in (*_ORG_NAMES, "Mistral-AI"))
# Makers whose name belongs to a hardware product's name ("NVIDIA H100", "Google TPU v4", "Apple M2").
HARDWARE_VENDOR_KEYS = frozenset(normalize_key(w) for w in "NVIDIA AMD Intel Google Apple Huawei Qualcomm".split())
# Hyphenated modifiers that end a name: "LM-based", "Whisper-style", "DP-like" name the thing before.
NAME_END_MODIFIERS = frozenset(
    """based like style only free aware level specific driven guided model models oriented centric
    friendly scale sized wise enhanced augmented powered generated""".split()
)

_NAMEY_RE = re.compile(r"[A-Z].*[A-Z]|[A-Za-z].*\d|\d.*[A-Za-z]|^[a-z]+[A-Z]")


# compiled once: re.match(pattern_string, ...) looks the pattern up in re's cache on every call
_DIGIT_START_RE = re.compile(r"^\d")
_TWO_CAPITALS_RE = re.compile(r"[A-Z]{2}")
_NAME_SEPARATORS_RE = re.compile(r"[\s_\-–/]+")
_CAPITALIZED_WORD_RE = re.compile(r"^[A-Z][a-z]+$")
_LOWERCASE_WORD_RE = re.compile(r"^[a-z]{2,}$")


@lru_cache(maxsize=200_000)
def is_name_like(text: str) -> bool:
    """A token written like a coined name: inner capitals (LaCLIP, COAT), letters with digits (T3)."""
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    if is_number_format(text) or normalize_key(text) in GENERIC_KEYS:
        return False
    if _DIGIT_START_RE.match(text) and not _TWO_CAPITALS_RE.search(text):
        return False  # 1.54x, 3rd, 10k
    segs = [x for x in _NAME_SEPARATORS_RE.split(text) if x]
    if len(segs) >= 2 and all(_CAPITALIZED_WORD_RE.match(x) for x in segs):
        return False  # Vision-Language, Large-Scale: capitalized ordinary words
    if len(segs) >= 2 and _LOWERCASE_WORD_RE.match(segs[0]):
        return False  # text-to-SQL, far-OOD: a lowercase word starts a descriptive compound
    if not text[0].isalpha():
        return False
    return bool(_NAMEY_RE.search(text))


_DIGIT_LED_RE = re.compile(r"\d+([A-Z][A-Za-z0-9]*)")
_UNITS = frozenset("GHz MHz FLOPs GFLOPs TFLOPs PFLOPs TOPS GiB MiB TiB".split())


def is_digit_led_name(text: str) -> bool:
    """"4KPro", "3DGS": a coined name that starts with digits (not "7B", "16GB", "3D", "10GHz")."""
    m = _DIGIT_LED_RE.fullmatch(text)
    return m is not None and len(m.group(1)) >= 3 and m.group(1) not in _UNITS and _NAMEY_RE.search(m.group(1)) is not None


# ---------------------------------------------------------------------------------------------
# Typing discovered names from context.

HEAD_TYPES = {
    "Dataset": "benchmark benchmarks dataset datasets corpus corpora suite leaderboard testbed test-set collection datastore subset split".split(),
    "Model": """model models llm llms vlm vlms mllm mllms lm lms transformer transformers captioner captioners
        encoder decoder detector checkpoint checkpoints assistant chatbot architecture network networks""".split(),
    "Method": """method methods framework frameworks approach technique techniques algorithm algorithms objective
        objectives loss optimizer strategy strategies paradigm mechanism recipe scheme procedure protocol
        regularizer regularization module estimator system""".split(),
    "Hardware": "accelerator accelerators chip chips processor processors gpu gpus".split(),
}
HEAD_TYPE = {w: t for t, words in HEAD_TYPES.items() for w in words}
# Heads whose phrases are tasks or fields, not entities.
TASK_HEADS = frozenset(
    """answering generation detection recognition classification segmentation translation understanding
    retrieval summarization captioning tracking estimation prediction modeling modelling synthesis
    reconstruction completion editing analysis""".split()
)
_MODALITIES = frozenset("text speech image video audio motion sql code music shape scene sketch 3d 2d phoneme".split())


def is_modality_task(words: list[str]) -> bool:
    """"text-to-speech", "neural text-to-speech" (words without hyphens): a task that maps one
    modality to another, not a method, even when "methods" follows. Not a longer name that ends in
    one ("Triplet Tuning for Sketch-to-Scene")."""
    return (len(words) >= 3 and words[-2].lower() == "to" and words[-3].lower() in _MODALITIES
            and words[-1].lower() in _MODALITIES and all(w.islower() for w in words[:-3]))
METHOD_HEADS = frozenset(
    """learning training tuning fine-tuning finetuning optimization search sampling distillation attention
    normalization quantization regularization pruning prompting decoding scaling adapter adapters
    augmentation alignment descent propagation parallelism calibration pretraining pre-training
    convolution embedding embeddings encoding dropout compression merging routing caching reasoning
    annealing prompt prompts selection filtering correction calibration fusion""".split()
)


NAME_SEGMENTS_RE = re.compile(r"[\s_-]+")
_DATASET_END_RE = re.compile(r"(?:Bench|Eval|QA|Arena)$")
_BENCH_END_RE = re.compile(r"bench$", re.IGNORECASE)
_MODEL_END_RE = re.compile(r"(?:GPT|LLM|LM|BERT|VLM|Net|Former|former|Diffusion)$")


def type_from_name(name: str) -> str | None:
    """Type implied by a name's own shape: sizes mean a model, "-Bench"/"QA" a dataset."""
    segs = [s for s in NAME_SEGMENTS_RE.split(name) if s]
    if any(is_size(s) for s in segs):
        return "Model"
    if _DATASET_END_RE.search(name) or _BENCH_END_RE.search(name):
        return "Dataset"
    if _MODEL_END_RE.search(name):
        return "Model"
    return None


_APPOSITIVE_END = frozenset(
    "for of with via to in on by using through from that which who where and or : , . ( ; is are was were can".split()
)
_ARTICLES = frozenset("a an the our".split())


def type_from_appositive(words: list[str]) -> str | None:
    """Type named by the head of an appositive noun phrase: "a large-scale benchmark for ..." ->
    Dataset, "specialized VLMs fine-tuned to ..." -> Model. After an article the head may come up
    to 7 words later; without one, within 3 words (a bare noun phrase: "specialized VLMs")."""
    if not words:
        return None
    limit = 8 if words[0].lower() in _ARTICLES else 3
    phrase = []
    for w in words[:limit]:
        if w.lower() in _APPOSITIVE_END:
            break
        phrase.append(w)
    return type_from_head_words(phrase)


# ", a ...", ", an ...": an appositive describing the name before the comma (see NameRules._described)
DESCRIBED_APPOSITIVE_RE = re.compile(r", an? (?!novel |new |first )")
_QUANTITY_NOUNS = frozenset("family series suite collection set pair variety range number group".split())


def skip_quantity_noun(words: list[str]) -> list[str]:
    """"a family of LLMs" -> "a LLMs": the head of "a family/series/suite of X" is X."""
    for i, w in enumerate(words[:4]):
        if w.lower() in _QUANTITY_NOUNS and i + 1 < len(words) and words[i + 1] == "of":
            return words[:i] + words[i + 2 :]
    return words


def type_from_head_words(words: list[str]) -> str | None:
    """Type of the last head noun of a noun phrase ("an LLM-based framework" -> Method)."""
    found = None
    for w in words:
        lw = w.lower()
        if lw in TASK_HEADS:
            return found
        t = HEAD_TYPE.get(lw)
        if t:
            found = t
        elif found and lw in METHOD_HEADS:
            found = "Method"  # "Sparse Model Training": the head is the technique after the noun
    return found


_NOT_ALNUM_RE = re.compile(r"[^A-Za-z0-9]")


@lru_cache(maxsize=200_000)
def is_short_acronym(text: str) -> bool:
    """NMT, VLA, SD: capitals-only and at most 4 letters; before "model(s)" such a word names a class."""
    letters = _NOT_ALNUM_RE.sub("", text)
    return len(letters) <= 4 and letters.isupper()


def is_plural_class(words: list[str]) -> bool:
    """"Reward Models", "Graph Neural Networks": a plural head names a class of things, not one."""
    if not words:
        return False
    return words[-1].lower() in _CLASS_PLURALS


_CLASS_PLURALS = frozenset(
    """models networks transformers llms lms vlms mllms lmms agents systems methods frameworks algorithms
    techniques approaches datasets benchmarks encoders decoders detectors classifiers""".split()
)


def type_from_long_form(words: list[str]) -> str | None:
    """Type of a multi-word term from its last word: "... Optimization" -> Method; tasks -> None."""
    if not words:
        return None
    last = words[-1].lower()
    if last in TASK_HEADS:
        return None
    if last in METHOD_HEADS:
        return "Method"
    return HEAD_TYPE.get(last) or HEAD_TYPE.get(last.rstrip("s"))


INTRO_VERBS = frozenset(
    """propose proposes proposed introduce introduces introduced present presents presented develop
    develops developed design designs designed release releases released build builds built construct
    constructs constructed create creates created curate curates curated devise devises devised
    contribute contributes""".split()
)
# "X, a novel framework ...": an appositive announcing something new introduces the name before it.
NOVEL_APPOSITIVE_RE = re.compile(r", an? (?:novel|new|first) ")
# "FAC4DNN, our specialized arithmetic circuit design for ...": an appositive "our <type noun>" that
# is not the subject of a verb ("With GPT-4, our model achieves ..." is not one) names the paper's own thing
OUR_APPOSITIVE_RE = re.compile(
    r", our (?:[\w-]+ ){0,3}?(approach|method|framework|model|technique|algorithm|design|system|benchmark|dataset|"
    r"architecture|agent|library|toolkit|suite|pipeline)s?(?= for | that | which |, |\. | \()"
)
# "When comparing the resulting model Orca-3 to ...": what the paper's procedure produced is its own
RESULTING_NAME_RE = re.compile(
    r"resulting(?<=[Tt]he resulting)(?<!\w[Tt]he resulting) (model|checkpoint|dataset|benchmark|corpus|agent|system)s?,? (?=[A-Z])"
)
NAMING_WORDS = frozenset("called named dubbed termed coined".split())


_VERB_OBJECTS = frozenset(
    "the a an its their our this these his her performance accuracy efficiency results models model it them".split()
)


def is_verb_use(texts: list[str], start: int, end: int) -> bool:
    """A one-word lowercase -ing alias used as a verb: "boosting performance", "pruning the model"."""
    if end - start != 1:
        return False
    w = texts[start]
    return w.islower() and w.endswith("ing") and end < len(texts) and texts[end].lower() in _VERB_OBJECTS


_NOT_NAME_CHARS = frozenset("=<>*^")
# "RL-free", "verifier-free": the thing is NOT used; "Chinchilla-optimal": a rule named after a model
_NEGATING_SUFFIXES = frozenset({"free", "optimal"})


def is_not_a_mention(texts: list[str], spaced: list[bool], start: int, end: int) -> bool:
    """Spans that spell a known alias but do not name it.

    "T=5" (a formula, not T5), "770M T5" ("M" is the unit of 770, not the start of mT5),
    "RL-free" / "Chinchilla-optimal" / "Chinchilla optimal" (a modifier built on the name).
    """
    for k in range(start, end):
        if not _NOT_NAME_CHARS.isdisjoint(texts[k]):
            return True
    if start > 0 and not spaced[start - 1] and texts[start - 1].isdigit():
        return True
    n = len(texts)
    if end < n:
        nxt = texts[end]
        if nxt in ("-", "–") and not spaced[end - 1] and end + 1 < n and texts[end + 1].lower() in _NEGATING_SUFFIXES:
            return True
        if spaced[end - 1] and nxt.lower() == "optimal":
            return True
    return False


# "datasets such as X, Y and Z", "benchmarks (e.g., X, Y)", "datasets from X and Y": the listed
# names are things of the head noun's type (Hearst patterns).
# a bare parenthesis holding a comma list counts too ("two public CT datasets (VerSe, TotalSegmentator)"),
# for Dataset heads only (see NameRules._examples)
EXAMPLES_CUE_RE = re.compile(
    r" (?=[(silef])(?:\(?(?:such as|including|like|e\.g\.,?|for example,?|from)(?= )|\((?=[A-Z][^()]*,[^()]*\)))"
)
# Every EXAMPLES_CUE_RE match starts with one of these (see find_matches_at).
EXAMPLES_CUE_STARTS = (" (", " such as", " including", " like", " e.g.", " for example", " from")
EXAMPLE_HEAD_TYPE = {"benchmarks": "Dataset", "datasets": "Dataset", "corpora": "Dataset", "models": "Model",
                     "llms": "Model", "vlms": "Model", "methods": "Method", "algorithms": "Method",
                     "techniques": "Method", "optimizers": "Method", "architectures": "Model"}


# "Our first approach is X", "our method, X, ...": the paper names its own contribution.
OUR_HEAD_IS_RE = re.compile(
    r"ur (?<=[Oo]ur )(?<![^\W_][Oo]ur )(?:(?:first|second|third|main|proposed|new|final|resulting) )?"
    r"(approach|method|framework|model|technique|algorithm|strategy|system|benchmark|dataset|solution|variant)s? (?:is|,) (?=[A-Z])"
)
# "a novel ... technique (Variance Horizon)": a Title Case name in parentheses after a type noun.
HEAD_PAREN_NAME_RE = re.compile(
    r" \((?=[A-Z][a-z]+(?: [A-Z][\w-]*){1,5}\))"
)
PAREN_NAME_HEADS = frozenset(
    "method framework approach technique algorithm strategy model benchmark dataset mechanism module loss objective".split()
)

# Modality and language words that make a derived benchmark of a known one ("Multimodal RewardBench").
MODALITY_WORDS = frozenset("multimodal multilingual visual video audio speech vision chinese".split())

# "BERTimbau-Large", "Foo-Instruct": a coined name with a model-variant suffix is a model.
VARIANT_SUFFIX_RE = re.compile(r"-(?:Large|Base|Small|Tiny|Mini|Medium|XL|XXL|Instruct|Chat)(?![\w-])")

# Heads of proposed things that are none of our types: "the Babel Tower Hypothesis", "a scaling law".
NON_ENTITY_HEADS = frozenset(
    """hypothesis hypotheses law laws theorem theorems principle principles phenomenon phenomena effect
    paradox conjecture problem problems metric metrics score""".split()
)
