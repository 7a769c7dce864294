"""read_papers: bad input reported not raised, directories, de-duplication, sniffing, no crashes."""
import os
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.corpus import available_readers, merge_papers, read_papers, sniff_format
from kg.corpus.merge import KeyIndex, paper_keys
from kg.errors import InputError, UnknownNameError
from kg.paths import SAMPLE_CORPUS_DIR
from kg.records import Link, Paper, Source

SAMPLE_FILE = SAMPLE_CORPUS_DIR / "000_b189964a42f63b3b.txt"


def _minimal(paper):
    return orjson.dumps({"title": paper.title, "abstract": paper.abstract})


def test_read_papers_empty_file(tmp_path, problems):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n  \n")
    assert list(read_papers([empty, SAMPLE_FILE], on_problem=problems.append))
    assert [(e.path, e.reason) for e in problems] == [(empty.as_posix(), "empty file")]


def test_read_papers_missing_path(tmp_path, problems):
    missing = tmp_path / "nope.txt"
    papers = list(read_papers([missing, SAMPLE_FILE], on_problem=problems.append))
    assert len(papers) == 19
    assert [(e.path, e.reason) for e in problems] == [(missing.as_posix(), "no such file or directory")]
    assert str(problems[0]) == f"{missing.as_posix()}: no such file or directory"


def test_read_papers_binary_file(tmp_path, problems):
    binary = tmp_path / "model.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    assert len(list(read_papers([binary, SAMPLE_FILE], on_problem=problems.append))) == 19
    assert [(e.path, e.reason) for e in problems] == [(binary.as_posix(), "binary file, not text; skipped")]


def test_read_papers_utf16_file_gets_a_precise_message(tmp_path, problems):
    path = tmp_path / "utf16.txt"
    path.write_bytes(SAMPLE_FILE.read_text(encoding="utf-8").encode("utf-16"))
    assert list(read_papers(path, on_problem=problems.append)) == []
    assert [e.reason for e in problems] == ["UTF-16 text is not supported, skipped; convert it to UTF-8"]


def test_read_papers_non_utf8_text_names_line_and_keeps_records(tmp_path, problems):
    text = SAMPLE_FILE.read_bytes().replace(b"Dice Loss for Data-imbalanced", b"Dice Loss f\xf6r Data-imbalanced")
    path = tmp_path / "latin1.txt"
    path.write_bytes(text)
    papers = list(read_papers(path, on_problem=problems.append))
    assert len(papers) == 19
    assert [(e.line, e.reason) for e in problems] == [(73, "not valid UTF-8; undecodable bytes replaced by U+FFFD")]
    assert any(p.title.startswith("Dice Loss f\ufffdr") for p in papers)


def test_read_papers_non_utf8_jsonl_line_skipped(tmp_path, sample_papers, problems):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_minimal(sample_papers[0]) + b"\n" + _minimal(sample_papers[1]).replace(b"The", b"Th\xe9", 1)
                     + b"\n" + _minimal(sample_papers[2]) + b"\n")
    papers = list(read_papers(path, on_problem=problems.append))
    assert [p.title for p in papers] == [sample_papers[0].title, sample_papers[2].title]
    assert [(e.line, e.reason) for e in problems] == [(2, "not valid UTF-8, line skipped")]


def test_read_papers_truncated_and_invalid_json_lines(tmp_path, sample_papers, problems):
    good = [_minimal(p) for p in sample_papers[:3]]
    path = tmp_path / "broken.jsonl"
    path.write_bytes(good[0] + b"\n{\"title\": \"x\", \"abs\n" + good[1] + b"\n\n" + b"not json\n" + good[2][:-40])
    papers = list(read_papers(path, on_problem=problems.append))
    assert [p.title for p in papers] == [sample_papers[0].title, sample_papers[1].title]
    assert [(e.path, e.line) for e in problems] == [(path.as_posix(), 2), (path.as_posix(), 5), (path.as_posix(), 6)]
    assert all(e.reason == "invalid or truncated JSON, line skipped" for e in problems)


@pytest.mark.parametrize("record, reason", [
    ({"abstract": "An abstract with no title at all."}, "record has no title, skipped"),
    ({"title": "A title with no abstract"}, "record has no abstract, skipped"),
    ({"title": "  ", "abstract": ""}, "record has no title and abstract, skipped"),
    ({"paper": {"title": "T", "summary": None}}, "record has no abstract, skipped"),
    (["not", "an", "object"], "expected a JSON object, got str"),
])
def test_read_papers_record_missing_fields(tmp_path, sample_papers, problems, record, reason):
    path = tmp_path / "r.jsonl"
    path.write_bytes(_minimal(sample_papers[0]) + b"\n" + orjson.dumps(record) + b"\n")
    assert [p.title for p in read_papers(path, on_problem=problems.append)] == [sample_papers[0].title]
    assert problems[0].line == 2 and problems[0].reason == reason


def test_read_papers_directory_recurses_sorted_skipping_hidden(tmp_path, sample_papers, problems):
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "deeper" / "x.jsonl").write_bytes(_minimal(sample_papers[2]) + b"\n")
    (tmp_path / "a" / "y.jsonl").write_bytes(_minimal(sample_papers[1]) + b"\n")
    (tmp_path / "z.jsonl").write_bytes(_minimal(sample_papers[0]) + b"\n")
    (tmp_path / ".hidden.jsonl").write_bytes(_minimal(sample_papers[3]) + b"\n")
    (tmp_path / ".git" / "HEAD").write_bytes(b"ref: refs/heads/main\n")
    papers = list(read_papers(tmp_path, on_problem=problems.append))
    assert [p.sources[0].path for p in papers] == [
        (tmp_path / "a" / "y.jsonl").as_posix(), (tmp_path / "b" / "deeper" / "x.jsonl").as_posix(),
        (tmp_path / "z.jsonl").as_posix()]
    assert problems == []


def test_read_papers_empty_directory(tmp_path, problems):
    assert list(read_papers(tmp_path, on_problem=problems.append)) == []
    assert [e.reason for e in problems] == ["directory has no files"]


def test_read_papers_unrecognised_text(tmp_path, problems):
    path = tmp_path / "notes.txt"
    path.write_text("# a config file\nkey = value\nother = 3\n", encoding="utf-8")
    assert list(read_papers(path, on_problem=problems.append)) == []
    assert len(problems) == 1 and "format not recognised" in problems[0].reason


def test_read_papers_default_on_problem_logs_warning(tmp_path, caplog):
    missing = tmp_path / "missing.txt"
    assert list(read_papers(missing)) == []
    assert f"{missing.as_posix()}: no such file or directory" in caplog.text


def test_read_papers_unknown_input_format_lists_available():
    with pytest.raises(UnknownNameError) as info:
        read_papers(SAMPLE_FILE, input_format="bibtex")
    assert str(info.value) == ("Unknown input format 'bibtex'. Available: hf-daily, json, jsonl. "
                               "Try --input-format hf-daily")
    assert available_readers() == ("hf-daily", "json", "jsonl")


def test_read_papers_input_format_overrides_sniffing(tmp_path, sample_papers, problems):
    path = tmp_path / "papers.txt"
    path.write_bytes(_minimal(sample_papers[0]) + b"\n")
    assert [p.title for p in read_papers(path)] == [sample_papers[0].title]
    assert list(read_papers(path, input_format="hf-daily", on_problem=problems.append)) == []
    assert problems and problems[0].path == path.as_posix()


@pytest.mark.parametrize("head, name", [
    (b'{"title": "x", "abstract": "y"}\n{"title"', "jsonl"),
    (b'\xef\xbb\xbf  {"title": "x"}', "jsonl"),
    (b'{\n  "title": "x"\n}\n', "json"),
    (b"  [\n {", "json"),
    (b"new\n\nGet trending papers in your email inbox!\n\nSubscribe\n", "hf-daily"),
    (b"Get trending papers in your email inbox once a day!\nSubscribeFreePRM: Title\n", "hf-daily"),
    (b"plain words\nmore words\n", None),
])
def test_sniff_format(head, name):
    assert sniff_format(head) == name


def test_sniff_format_sample_files_are_hf_daily():
    for path in sorted(SAMPLE_CORPUS_DIR.iterdir()):
        assert sniff_format(path.read_bytes()[:65536]) == "hf-daily"


def _paper(title, pid=None, **fields):
    from kg.corpus import title_id
    return Paper(id=pid or title_id(title), title=title, abstract=fields.pop("abstract", "An abstract."), **fields)


def test_merge_papers_keeps_richest_values_and_all_sources():
    a = _paper("TULU 3: Pushing Frontiers", abstract="Short.", date="2024-11-25", upvotes=3,
               author_count=23, links=(Link("https://x.io/p", "other"),), sources=(Source("a.txt", 1),))
    b = _paper("TÜLU 3: Pushing Frontiers", pid="2411.15124", abstract="A longer abstract.", date="2024-11-22",
               authors=("Nathan Lambert",), upvotes=61, categories=("cs.CL",),
               links=(Link("https://x.io/p", "project"), Link("https://github.com/a/b", "code")),
               sources=(Source("b.jsonl", 7),))
    merged = merge_papers(a, b)
    assert merged == Paper(
        id="2411.15124", title="TÜLU 3: Pushing Frontiers", abstract="A longer abstract.", date="2024-11-22",
        authors=("Nathan Lambert",), author_count=23, upvotes=61,
        links=(Link("https://x.io/p", "project"), Link("https://github.com/a/b", "code")),
        sources=(Source("a.txt", 1), Source("b.jsonl", 7)), categories=("cs.CL",))


def test_key_index_joins_groups_transitively():
    a = _paper("First Title", pid="2401.00001")
    b = _paper("Second Title", pid="2401.00001")  # same arXiv id as a
    c = _paper("second title")                     # same title as b
    d = _paper("Unrelated")
    index = KeyIndex()
    for paper in (a, d, b, c):
        index.add(paper_keys(paper))
    groups = {index.group_of(paper_keys(p)) for p in (a, b, c)}
    assert len(groups) == 1 and next(iter(groups))[1] == 3
    assert index.group_of(paper_keys(d))[1] == 1
    assert len(index) == 2


def test_read_papers_dedups_across_formats_and_keeps_provenance(tmp_path, sample_papers):
    coat = next(p for p in sample_papers if p.title.startswith("COAT"))
    path = tmp_path / "more.jsonl"
    path.write_bytes(b"\n".join([
        orjson.dumps({"id": "2410.19313", "title": coat.title.upper(), "abstract": coat.abstract[:200],
                      "authors": ["Haocheng Xi"], "update_date": "2024-10-25"}),
        orjson.dumps({"id": "arXiv:2410.19313v2", "title": "COAT (v2 title)", "abstract": coat.abstract}),
    ]) + b"\n")
    papers = list(read_papers([SAMPLE_FILE, path]))
    assert len(papers) == 19
    merged = [p for p in papers if p.id == "2410.19313"]
    assert len(merged) == 1
    assert merged[0].title == coat.title  # equal length: the first occurrence's spelling stays
    assert merged[0].abstract == coat.abstract
    assert merged[0].authors == ("Haocheng Xi",) and merged[0].date == "2024-10-25"
    assert merged[0].links == coat.links
    assert merged[0].sources == (Source(SAMPLE_FILE.as_posix(), 17), Source(path.as_posix(), 1),
                                 Source(path.as_posix(), 2))


def test_read_papers_is_lazy_and_repeatable(sample_papers):
    iterator = read_papers()
    assert iter(iterator) is iterator
    assert list(iterator) == sample_papers


_LINES = st.sampled_from([
    "new", "Subscribe", "SubscribeA Title", "Daily Papers", "byAK and the research community", "Sep 2", "·",
    "  • 3 authors", "Nov 22, 2024 3", "nvidia NVIDIA", "A Short Title", "", "{", "}", "[", "]", '{"title": "x"',
    '{"title": "T", "abstract": "A."}', '"abstract":', "Text. More text. Even more text here. " * 8,
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=600),
    st.lists(_LINES, max_size=25).map(lambda lines: "\n".join(lines).encode("utf-8")),
    st.lists(st.one_of(_LINES.map(str.encode), st.binary(max_size=20)), max_size=20).map(b"\n".join),
))
def test_readers_never_crash_on_any_bytes(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "input"
        path.write_bytes(data)
        for input_format in (None, "hf-daily", "jsonl", "json"):
            problems = []
            papers = list(read_papers(path, input_format=input_format, on_problem=problems.append))
            assert all(isinstance(e, InputError) and e.path == path.as_posix() for e in problems)
            assert papers or problems
            for paper in papers:
                assert paper.title and paper.abstract and paper.sources
