"""The spaCy pipeline of the linker: our own registered components on spacy.blank("en").

    kg_sentences_v1      sentence starts (rule-based, cheap)
    kg_abbreviations_v1  "Long Form (LF)" and "LF (Long Form)" definitions
    kg_kb_matcher_v1     knowledge-base aliases over normalized token keys (case rules for
                         short acronyms and stylized names, vendor prefixes trimmed)
    kg_name_rules_v1     names the KB lacks: model variants and sizes, hardware, benchmark
                         shapes, "X benchmark/dataset/model", FP8-style techniques, introduced
                         names (title prefix, "we propose X", "X, a novel ..."), list members
    kg_resolver_v1       one entity per span: overlaps, ambiguity, abbreviations, introduced flag

One module per component: sentences, abbreviation_finder, kb_matcher, name_rules, and resolve
(the resolver); doc_view holds what they share (doc.user_data keys, the cached token view).
Components keep their findings as plain tuples in doc.user_data (cheap to make and to pickle);
the resolver also writes doc.spans["kg.entities"] (label_ = type, kb_id_ = entity key) for users
of spaCy. Component state is the knowledge base, shared by reference (see kb_registry); the KB
matcher saves its compiled alias index with to_disk/from_disk.

Not supported: training, nlp.pipe(n_process>1) (use link_papers(processes=N) instead).
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# importing the component modules registers their factories (kg_*_v1) before build_nlp adds them
from kg.linking import abbreviation_finder, kb_matcher, name_rules, resolve, sentences  # noqa: F401
from kg.linking.doc_view import ABSTRACT_START, TEXT
from kg.linking.kb import KnowledgeBase, load_kb
from kg.linking.kb_registry import register_kb
from kg.linking.tokenizer import keep_basic_lex_attrs, spacy_tokenizer


# Tokenizer rules (INFIX_EXTRA, INFIX_COUNT, SUFFIX_EXTRA) live in kg/linking/tokenizer.py.
PIPES = ("kg_sentences_v1", "kg_abbreviations_v1", "kg_kb_matcher_v1", "kg_name_rules_v1", "kg_resolver_v1")


def build_nlp(kb: KnowledgeBase | None = None, *, spans_key: str = "kg.entities", tokenizer: str = "kg",
              lex_attrs: str = "basic") -> Language:
    """spacy.blank("en") with our tokenizer and components.

    tokenizer "kg" (default): kg_tokenizer_v1, spaCy's English rules plus hyphen-splitting infixes
    with a per-chunk cache and the components' token view (same tokens, faster, see tokenizer.py);
    "spacy": spaCy's own tokenizer with the same rules (for comparisons).
    lex_attrs "basic" (default): new words get only cheap lexical attributes (see
    tokenizer.keep_basic_lex_attrs); "full": all of spaCy's; "none": none at all (Token.lower_,
    .norm_, .is_alpha... read ""/False on new words): for the map step of link_papers, whose Docs
    never leave link_one (~10% of its time went to attributes nobody reads).
    """
    kb = kb if kb is not None else load_kb()
    ref = register_kb(kb)
    if tokenizer == "kg":
        nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg_tokenizer_v1"}}})
    elif tokenizer == "spacy":
        nlp = spacy.blank("en")
        nlp.tokenizer = spacy_tokenizer(nlp)
    else:
        raise ValueError(f"unknown tokenizer {tokenizer!r} (kg or spacy)")
    if lex_attrs == "basic":
        keep_basic_lex_attrs(nlp.vocab)
    elif lex_attrs == "none":
        nlp.vocab.lex_attr_getters = {}
    elif lex_attrs != "full":
        raise ValueError(f"unknown lex_attrs {lex_attrs!r} (basic, full or none)")
    for factory in PIPES:
        config = {"kb_ref": ref} if factory not in ("kg_sentences_v1", "kg_abbreviations_v1") else {}
        if factory == "kg_resolver_v1":
            config["spans_key"] = spans_key
        nlp.add_pipe(factory, name=factory[3:-3], config=config)
    return nlp


def run_pipeline(nlp: Language, text: str, abstract_start: int) -> Doc:
    """Tokenize and run every component, with the abstract start known to the components."""
    doc = nlp.make_doc(text)
    doc.user_data[ABSTRACT_START] = abstract_start
    doc.user_data[TEXT] = text
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
