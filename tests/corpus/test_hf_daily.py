"""The Hugging Face Daily Papers dump reader, on the five real sample files and on variants."""
import re
from pathlib import Path

import pytest

from kg.corpus import read_papers, title_key
from kg.corpus.hf_daily import looks_like_title, read_hf_daily
from kg.records import Link, Source

SENTENCE_RUN = re.compile(r"[.!?]\s+[A-Z(]")


def _titles(papers):
    return {p.title for p in papers}


def _by_title(papers, start):
    found = [p for p in papers if p.title.startswith(start)]
    assert len(found) == 1, [p.title for p in found]
    return found[0]


def test_read_papers_sample_has_459_unique_papers(sample_problems):
    papers, problems, stats = sample_problems
    assert problems == []
    assert len(papers) == 459
    assert len({title_key(p.title) for p in papers}) == 459
    assert len({p.id for p in papers}) == 459
    assert stats.files == 5 and stats.records == 489 and stats.papers == 459


@pytest.mark.parametrize("index", range(5))
def test_read_hf_daily_every_record_has_paper_shape(sample_files, index, problems):
    path = sample_files[index]
    papers = list(read_hf_daily(path, path.name, problems.append))
    assert problems == []
    assert len(papers) >= 19
    for paper in papers:
        assert 10 <= len(paper.title) <= 200, paper.title
        assert len(SENTENCE_RUN.findall(paper.title)) <= 1, paper.title
        assert not paper.title.endswith("."), paper.title
        assert len(paper.abstract) >= 500, paper.title
        assert SENTENCE_RUN.search(paper.abstract), paper.title
        assert not paper.title.startswith(("Subscribe", "Daily Papers", "Get trending", "by AK", "byAK"))
        for chrome in ("Get trending papers", "by AK and the", "byAK", "Daily Papers", " authors ·"):
            assert chrome not in paper.title + paper.abstract
        assert "·" not in paper.abstract and "•" not in paper.abstract
        assert "\\" not in paper.title + paper.abstract


def test_read_hf_daily_record_counts_per_file(sample_files):
    # records counted independently of the reader: title/abstract pairs of non-chrome lines
    chrome = re.compile(r"^(new|Get trending.*|Subscribe|Daily Papers|by ?AK and the research community"
                        r"|[A-Z][a-z]{2} \d{1,2}(, \d{4})?( \d+)?|\s*• \d+ authors|·|[a-z]+ [A-Z][A-Za-z]+)$")
    for path in sample_files:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        content = [line for line in lines if not chrome.match(line)]
        assert len(list(read_hf_daily(path, path.name, print))) == len(content) // 2


def test_read_papers_known_titles(sample_papers):
    titles = _titles(sample_papers)
    assert "COAT: Compressing Optimizer states and Activation for Memory-Efficient FP8 Training" in titles
    assert "FreePRM: Training Process Reward Models Without Ground Truth Process Labels" in titles
    assert "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training" in titles
    assert "Don't Stop Pretraining? Make Prompt-based Fine-tuning Powerful Learner" in titles
    assert not any(t.startswith("Subscribe") for t in titles)


def test_read_hf_daily_glued_subscribe_title_is_first_record(sample_files):
    path = sample_files[3]
    first = next(read_hf_daily(path, "x", print))
    assert first.title == "FreePRM: Training Process Reward Models Without Ground Truth Process Labels"
    assert first.sources == (Source("x", 3),)
    assert first.abstract.startswith("Recent advancements in Large Language Models")


def test_read_hf_daily_metadata_block_gives_date_upvotes_author_count(sample_papers):
    tulu = _by_title(sample_papers, "TÜLU 3")
    assert (tulu.date, tulu.upvotes, tulu.author_count) == ("2024-11-22", 3, 23)
    # "Apr 3": a date without year and without upvotes
    post = _by_title(sample_papers, "How Post-Training Reshapes LLMs")
    assert (post.date, post.upvotes, post.author_count) == (None, None, 8)
    # organisation line instead of an author count: "nvidia NVIDIA" / "·" / "Sep 26 4"
    rlp = _by_title(sample_papers, "RLP: Reinforcement as a Pretraining Objective")
    assert (rlp.date, rlp.upvotes, rlp.author_count) == (None, 4, None)
    assert "NVIDIA" not in rlp.abstract[-40:]
    # no metadata block at all, between two records that have one
    skill = _by_title(sample_papers, "Skill-Targeted Adaptive Training")
    assert (skill.date, skill.upvotes, skill.author_count) == (None, None, None)


def test_read_hf_daily_latex_escapes_resolved(sample_papers):
    tulu = _by_title(sample_papers, "TÜLU 3")
    assert "TÜLU 3, a family of fully-open" in tulu.abstract
    assert all("\\" not in p.abstract for p in sample_papers)
    assert any("40% of training time" in p.abstract for p in sample_papers)


def test_read_hf_daily_links_extracted_and_kept_in_abstract(sample_papers):
    coat = _by_title(sample_papers, "COAT:")
    assert coat.links == (Link("https://github.com/NVlabs/COAT", "code"),)
    assert coat.abstract.endswith("The code is available at https://github.com/NVlabs/COAT.")
    project = [p for p in sample_papers if Link("https://penghao-wu.github.io/visual_jigsaw/", "project") in p.links]
    assert len(project) == 1 and "Project Page: https://penghao-wu.github.io/visual_jigsaw/" in project[0].abstract
    kinds = {link.kind for p in sample_papers for link in p.links}
    assert kinds == {"code", "project", "other"}
    assert sum(len(p.links) for p in sample_papers) >= 100
    for paper in sample_papers:
        for link in paper.links:
            assert link.url.startswith("https://") and not link.url.endswith((".", ",", ")"))
            assert link.url.removeprefix("https://") in paper.abstract


def test_read_papers_duplicates_keep_every_source(sample_papers):
    tulu = _by_title(sample_papers, "TÜLU 3")
    assert tulu.sources == (
        Source("kg/data/hf-daily-papers/001_e2fec9b6cb1eb41b.txt", 363),
        Source("kg/data/hf-daily-papers/002_d84110959a6bfd17.txt", 13),
    )
    assert sum(len(p.sources) for p in sample_papers) == 489
    lines = {}
    for source in (s for p in sample_papers for s in p.sources):
        lines.setdefault(source.path, []).append(source.line)
    for path, numbers in lines.items():
        text = (Path(__file__).parents[2] / path).read_text(encoding="utf-8").splitlines()
        for number in numbers:
            assert looks_like_title(text[number - 1].removeprefix("Subscribe"))


def _write(tmp_path, text, name="page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ABSTRACT = ("We study how to train models. Our method improves results on three benchmarks. "
            "Experiments show it is robust across seeds and scales, and code is released. ") * 2


def test_read_hf_daily_without_blank_lines_or_chrome(tmp_path, problems):
    path = _write(tmp_path, f"First Paper Title\n{ABSTRACT}\nSecond: A Title\n{ABSTRACT}\n")
    papers = list(read_papers(path, on_problem=problems.append))
    assert [p.title for p in papers] == ["First Paper Title", "Second: A Title"]
    assert [p.sources[0].line for p in papers] == [1, 3]
    assert problems == []


def test_read_hf_daily_abstract_over_two_paragraphs_is_joined(tmp_path, problems):
    path = _write(tmp_path, f"A Title\n\n{ABSTRACT}\n\n{ABSTRACT}\n\nNext Title\n\n{ABSTRACT}\n")
    papers = list(read_papers(path, input_format="hf-daily", on_problem=problems.append))
    assert [p.title for p in papers] == ["A Title", "Next Title"]
    assert papers[0].abstract == ABSTRACT.strip() + " " + ABSTRACT.strip()
    assert problems == []


def test_read_hf_daily_title_without_abstract_reported(tmp_path, problems):
    path = _write(tmp_path, f"Good Title\n\n{ABSTRACT}\n\nOrphan Title\n\nThird Title\n\n{ABSTRACT}\n\nLast Title\n")
    papers = list(read_papers(path, input_format="hf-daily", on_problem=problems.append))
    assert [p.title for p in papers] == ["Good Title", "Third Title"]
    assert [(e.path, e.line) for e in problems] == [(path.as_posix(), 5), (path.as_posix(), 11)]
    assert all("without an abstract" in e.reason for e in problems)


def test_read_hf_daily_paragraph_without_title_reported(tmp_path, problems):
    path = _write(tmp_path, f"{ABSTRACT}\n\nA Title\n\n{ABSTRACT}\n")
    papers = list(read_papers(path, input_format="hf-daily", on_problem=problems.append))
    assert [p.title for p in papers] == ["A Title"]
    assert [(e.line, e.reason) for e in problems] == [(1, "paragraph without a title, skipped")]


def test_read_hf_daily_concatenated_pages_read_like_separate_files(tmp_path, sample_files):
    # page 2 (ends with a metadata block) then page 0 (starts with chrome and a "Sep 2" header)
    path = tmp_path / "both.txt"
    path.write_bytes(sample_files[2].read_bytes() + b"\n" + sample_files[0].read_bytes())
    problems = []
    together = list(read_hf_daily(path, "both", problems.append))
    apart = [p for i in (2, 0) for p in read_hf_daily(sample_files[i], "x", problems.append)]
    assert problems == []
    assert [(p.title, p.abstract, p.date, p.upvotes, p.author_count) for p in together] == [
        (p.title, p.abstract, p.date, p.upvotes, p.author_count) for p in apart]
