"""Text normalization shared by every reader: clean display text, title keys, ids, links, dates.

All functions are pure and idempotent on their own output (clean_text(clean_text(x)) ==
clean_text(x)), so a corpus written by `kg ingest` reads back unchanged.

Not supported: general LaTeX (math, macros with arguments other than the text-style ones below);
unknown macros are left as written.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
import unicodedata
from datetime import datetime
from email.utils import parsedate_to_datetime

from kg.records import Link

# accent macro -> combining character (T\"ULU -> TÜLU after NFC)
_ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a",
}
_SYMBOL_ACCENT = re.compile(r"""\{?\\(["'`^~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))\}?""")
_LETTER_ACCENT = re.compile(r"\{?\\([uvHckr])(?:\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))\}?")
_LETTERS = {"i": "ı", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "aa": "å", "AA": "Å"}
_LETTER_MACRO = re.compile(r"\{?\\(ss|ae|AE|oe|OE|aa|AA|[ioOlL])\}?(?![A-Za-z])")
_ABBREVIATIONS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "vs": "vs."}
_ABBREVIATION = re.compile(r"\\(eg|ie|etal|etc|vs)\b\.?")
_TEXT_STYLE = re.compile(
    r"\\(?:text(?:it|bf|tt|rm|sc|sf|up|normal)|emph|underline|mbox|url)\s*\{([^{}]*)\}")
_ESCAPED = re.compile(r"\\([%&$#_{}])")
_BACKSLASH_URL = re.compile(r"\\(?=https?://)")
_QUOTES = re.compile(r"``(.*?)''", re.S)
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F, 0x200B, 0xFEFF])  # not spaces
_NON_ALNUM = re.compile(r"[\W_]+")


def _accent(match: re.Match) -> str:
    letter = match.group(2) or match.group(3)
    return unicodedata.normalize("NFC", letter + _ACCENTS[match.group(1)])


def _unlatex_once(text: str) -> str:
    text = _SYMBOL_ACCENT.sub(_accent, text)
    text = _LETTER_ACCENT.sub(_accent, text)
    text = _LETTER_MACRO.sub(lambda m: _LETTERS[m.group(1)], text)
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], text)
    text = _TEXT_STYLE.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    text = _BACKSLASH_URL.sub("", text)
    return _QUOTES.sub(r'"\1"', text)


def unlatex(text: str) -> str:
    """Replace the LaTeX escapes that abstracts carry (T\\"ULU, 40\\%, \\textit{x}, ``q'') by text."""
    if "\\" not in text and "``" not in text:
        return text
    for _ in range(5):  # escapes can nest ({\"{U}}); stop at the fixed point
        new = _unlatex_once(text)
        if new == text:
            break
        text = new
    return text


def clean_text(text: str) -> str:
    """Display form: NFC, LaTeX escapes resolved, control characters dropped, whitespace collapsed."""
    printable = text.isprintable()  # fast path: no newline, tab, control or exotic space
    if not printable:
        text = text.translate(_CONTROL)
    for _ in range(2):  # NFC before and after resolving escapes: each can enable the other
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = unlatex(text)
    if printable and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def title_key(title: str) -> str:
    """De-duplication key: accents stripped, case folded, only letters and digits kept.

    "TÜLU 3: Pushing ..." and "T\\"ULU 3 - pushing ..." give the same key; so do "Pre-training"
    and "Pretraining".
    """
    return _key_of_clean(clean_text(title))


def _key_of_clean(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", text.casefold())


def title_id(title: str) -> str:
    """Stable id of a paper without an arXiv id: first 10 hex digits of sha1 of its clean title.

    The same scheme as the ids of the gold annotation files (shared/gold/dev_input.jsonl).
    """
    return hashlib.sha1(clean_text(title).encode("utf-8")).hexdigest()[:10]


_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")
_ARXIV_OLD = re.compile(r"([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)", re.I)


def parse_arxiv_id(value: object) -> str | None:
    """The arXiv id (no version) in "2411.15124", "2411.15124v2", "arXiv:hep-th/9901001", an
    arxiv.org URL; None for anything else."""
    if not isinstance(value, str):
        return None
    text = _ARXIV_PREFIX.sub("", value.strip())
    text = text.removesuffix(".pdf")
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.fullmatch(text)
        if match:
            return match.group(1)
    return None


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})")
_RFC_2822 = re.compile(r"(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4})\b.*")  # arXiv versions[].created


def parse_date(value: object) -> str | None:
    """ISO date (YYYY-MM-DD) from ISO strings/timestamps, "Nov 22, 2024", RFC 2822; else None.

    A date without a year ("Sep 26") gives None: the year cannot be recovered.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = map(int, match.groups())
    elif match := _MONTH_DAY_YEAR.fullmatch(text):
        month = _MONTHS.get(match.group(1).lower())
        if month is None:
            return None
        day, year = int(match.group(2)), int(match.group(3))
    elif (match := _RFC_2822.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
    else:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        year, month, day = parsed.year, parsed.month, parsed.day
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`\[\]]+", re.I)
# bare "x.github.io" / "github.com/a/b" (slower to scan: only run when the text names them)
_BARE_URL = re.compile(
    r"(?<![\w./@-])(?:[\w-]+\.github\.io|github\.com/[\w.-]+/[\w.-]+)(?:/[^\s<>\"'{}|\\^`\[\]]*)?", re.I)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sourceforge.net")
_PROJECT_HOSTS = (".github.io", "sites.google.com")
_PROJECT_WORDS = re.compile(r"project(?:'s)? (?:page|website|site|homepage)|home ?page|website|web ?page|demo", re.I)
_CODE_WORDS = re.compile(r"\bcode\b|\bgithub\b|\brepositor", re.I)


def _trim_url(url: str) -> str:
    while url and url[-1] in ".,;:!?)'\"":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _link_kind(url: str, context: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    if host in _CODE_HOSTS:
        return "code"
    if _PROJECT_WORDS.search(context) or host.endswith(_PROJECT_HOSTS):
        return "project"
    if _CODE_WORDS.search(context) and "huggingface.co" not in host:
        return "code"
    return "other"


def _bare_urls(text: str, lowered: str) -> Iterator[re.Match]:
    """Bare URLs, found from each "github." backwards (a forward regex scan is slow here)."""
    index = lowered.find("github.")
    while index >= 0:
        start = index
        if lowered.startswith("github.io", index) and index > 1 and text[index - 1] == ".":
            start = index - 1
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
                start -= 1
        if match := _BARE_URL.match(text, start):
            yield match
        index = lowered.find("github.", index + 7)


def find_links(text: str) -> tuple[Link, ...]:
    """URLs in an abstract, in order, each once; kind from the host and the words just before it
    (github.com -> code; "Project Page:", *.github.io -> project; else other)."""
    links: dict[str, Link] = {}
    matches = list(_URL.finditer(text)) if "http" in text or "HTTP" in text else []
    lowered = text.lower() if "ithub" in text or "ITHUB" in text else ""
    if "github.io" in lowered or "github.com" in lowered:
        taken = [m.span() for m in matches]
        matches += [m for m in _bare_urls(text, lowered)
                    if not any(start <= m.start() < end for start, end in taken)]
        matches.sort(key=lambda m: m.start())
    for match in matches:
        url = _trim_url(match.group(0))
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        if len(url) <= len("https://") + 3 or url in links:
            continue
        sentence_start = max(text.rfind(". ", 0, match.start()), text.rfind("; ", 0, match.start()))
        context = text[max(sentence_start, match.start() - 80, 0):match.start()]
        links[url] = Link(url, _link_kind(url, context))
    return tuple(links.values())
