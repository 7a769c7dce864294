"""Relation typing on hand-picked real sentences of the sample corpus."""
import pytest

from kg.assembly.relations import RELATIONS_BY_TYPE, find_relation, locate_mention
from kg.corpus import read_papers

SPARSE_MEZO = ("Additionally, we develop a memory-optimized implementation for sparse masking, ensuring the "
               "algorithm requires only inference-level memory consumption, allowing Sparse-MeZO to fine-tune "
               "LLaMA-30b on a single A100 GPU.")
TULU = ("TÜLU 3, which builds on Llama 3.1 base models, achieves results surpassing the instruct versions of "
        "Llama 3.1, Qwen 2.5, Mistral, and even closed models such as GPT-4o-mini and Claude 3.5-Haiku.")
PILE = ("We study the warmup phase of models pre-trained on the Pile (upstream data, 300B tokens) as we continue "
        "to pre-train on SlimPajama (downstream data, 297B tokens), following a linear warmup and cosine decay "
        "schedule.")
MESA = ("Extensive experiments on ImageNet, CIFAR-100 and ADE20K demonstrate that Mesa can achieve flexible "
        "memory-savings (up to 50%) during training while achieving comparable or even better performance.")
PANOPTIC = ("By combining our method with efficient backbones like MobileNetV3-Small, our method achieves new "
            "state-of-the-art results for efficient panoptic segmentation on COCO, ADE20K and Cityscapes.")
APOLLO = ("Even its rank-1 variant, APOLLO-Mini, achieves superior pre-training performance compared to AdamW "
          "with SGD-level memory costs.")
THROUGHPUT = ("These savings provide significant system-level benefits: (1) Enhanced Throughput: 3x throughput on "
              "an 8xA100-80GB setup compared to AdamW by supporting 4x larger batch sizes.")
LOW_END = ("(3) Low-End GPU Friendly Pre-training: Pre-training LLaMA-7B on a single GPU using less than 12 GB of "
           "memory with weight quantization.")
GRADING = ("The paper develops a methodology for (a) designing and administering such an evaluation, and (b) "
           "automatic grading (plus spot-checking by humans) of the results using GPT-4 as well as the open "
           "LLaMA-2 70B model.")
KDRL = ("Empirical results on multiple reasoning benchmarks demonstrate that KDRL outperforms GRPO and various KD "
        "baselines while achieving a favorable balance between performance and reasoning token efficiency.")
BF16 = ("As a result, the BrainFloat16 (BF16) precision has become the de facto standard for LLM training, with "
        "hardware support included in recent accelerators.")
TRANSFORMER = "5 are dense Transformer-based architectures with 115B parameters"
NOT_ONLY = ("It not only surpasses the performance of standalone SFT and RFT but also outperforms parallel "
            "mixed-policy RFT methods.")
LION = ("We compare Lion with widely used optimizers, such as Adam and Adafactor, for training a variety of "
        "models on different tasks.")
IIR = ("Furthermore, in comparison with standard DNNs, the proposed IIR-SNNs provide25-33X higher energy "
       "efficiency, while being comparable to them in classification performance.")
EXISTING = ("Existing methods often model the cross-modal interaction either via the similarity of the global "
            "feature of each modality which misses sufficient information, or finer-grained interactions using "
            "cross/self-attention upon visual and textual tokens.")

# sentence, mention (first occurrence, or (text, nth occurrence)), type, self names, expected relation
CASES = [
    (SPARSE_MEZO, "LLaMA-30b", "Model", (), "FINE_TUNES"),
    (SPARSE_MEZO, "A100", "Hardware", (), "RUNS_ON"),
    (TULU, "Llama 3.1", "Model", ("TÜLU 3",), "USES"),
    (TULU, ("Llama 3.1", 1), "Model", ("TÜLU 3",), "OUTPERFORMS"),
    (TULU, "Qwen 2.5", "Model", ("TÜLU 3",), "OUTPERFORMS"),
    (TULU, "Claude 3.5-Haiku", "Model", ("TÜLU 3",), "OUTPERFORMS"),
    (TULU, "Qwen 2.5", "Model", (), "COMPARES_WITH"),  # not the paper's own claim without its name
    (PILE, "Pile", "Dataset", (), "TRAINS_ON"),
    (PILE, "SlimPajama", "Dataset", (), "TRAINS_ON"),
    (MESA, "ImageNet", "Dataset", (), "EVALUATES_ON"),
    (MESA, "ADE20K", "Dataset", (), "EVALUATES_ON"),
    (PANOPTIC, "Cityscapes", "Dataset", (), "EVALUATES_ON"),
    (PANOPTIC, "MobileNetV3-Small", "Model", (), None),
    (APOLLO, "AdamW", "Method", (), "COMPARES_WITH"),
    (THROUGHPUT, "A100-80GB", "Hardware", (), "RUNS_ON"),
    (LOW_END, "GPU", "Hardware", (), None),  # "Low-End GPU Friendly": no cue before it
    (LOW_END, ("GPU", 1), "Hardware", (), "RUNS_ON"),
    (LOW_END, "LLaMA-7B", "Model", (), None),
    (GRADING, "GPT-4", "Model", (), "USES"),
    (GRADING, "LLaMA-2 70B", "Model", (), "USES"),
    (KDRL, "GRPO", "Method", ("KDRL",), "OUTPERFORMS"),
    (BF16, "BF16", "Method", (), None),
    (BF16, "BF16", "Dataset", (), None),
    (TRANSFORMER, "Transformer", "Method", (), "USES"),
    (NOT_ONLY, "SFT", "Method", (), "OUTPERFORMS"),  # "not only" is no negation; "It" is the subject
    (LION, "Adafactor", "Method", (), None),  # "widely used" is not a use by the paper
    (IIR, "IIR-SNNs", "Method", (), None),  # "the proposed X": the paper's own, not a comparison
    (IIR, "DNNs", "Method", (), "COMPARES_WITH"),
    (EXISTING, "self-attention", "Method", (), None),  # prior work's use, not the paper's
]


@pytest.fixture(scope="module")
def corpus_text():
    return "\n".join(f"{p.title}\n{p.abstract}" for p in read_papers())


def _span(sentence, mention):
    text, nth = mention if isinstance(mention, tuple) else (mention, 0)
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(text, start + 1)
    return start, start + len(text)


@pytest.mark.parametrize("sentence, mention, etype, names, expected", CASES,
                         ids=[f"{c[2]}-{c[1]}-{c[4]}" for c in CASES])
def test_find_relation_real_sentences(corpus_text, sentence, mention, etype, names, expected):
    assert sentence in corpus_text  # the table holds real corpus sentences, not invented ones
    start, end = _span(sentence, mention)
    found = find_relation(sentence, start, end, etype, self_names=names)
    assert (found.relation if found else None) == expected
    if found:
        assert found.relation in RELATIONS_BY_TYPE[etype]
        assert 0 < found.confidence <= 1


def test_find_relation_unknown_type_or_bad_span_gives_none():
    assert find_relation(SPARSE_MEZO, 0, 5, "Concept") is None
    assert find_relation(SPARSE_MEZO, 10, 5, "Model") is None


def test_locate_mention_uses_field_offsets_for_repeated_text():
    field_text = "Intro sentence. " + TULU
    second = field_text.index("Llama 3.1", field_text.index("Llama 3.1") + 1)
    assert locate_mention(TULU, "Llama 3.1", second, field_text) == _span(TULU, ("Llama 3.1", 1))


def test_locate_mention_falls_back_to_first_occurrence():
    assert locate_mention(TULU, "llama 3.1", 0) == _span(TULU, "Llama 3.1")
    assert locate_mention(TULU, "Gemini", 0) is None


def test_locate_mention_title_sentence_with_added_period():
    title = "COAT: Compressing Optimizer states and Activation for Memory-Efficient FP8 Training"
    start = title.index("FP8 Training")
    assert locate_mention(title + ".", "FP8 Training", start, title) == (start, start + len("FP8 Training"))
