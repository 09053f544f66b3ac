"""Words and phrases: counting, the phrase lists, boilerplate by likeness, letter likeness.

The phrase lists (``policies/template_phrases.toml`` plus the user's own) name
sentences reviewers reject. A fixed list misses the hundred ways of saying the
same thing ("apologised for the inconvenience this has caused"), so
``boilerplate_hits`` also compares each stretch of words with every listed
phrase after light stemming, and reports a stretch that is nearly the same.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PHRASES_FILE = "template_phrases.toml"
# The tables of the phrase file, in PhraseLists' order
KINDS = ("boilerplate", "emotional", "blame", "blame_carrier")

# A stretch of words counts as the listed phrase when difflib's ratio over their
# stems reaches this (1.0 = the same words in the same order). 0.8 catches
# "apologised for the inconvenience this has caused" against "we apologize for any
# inconvenience" and keeps "we apologise: our carrier missed three pick-ups" clear
# (tests pin both sides).
BOILERPLATE_LIKENESS = 0.8

CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


@dataclass(frozen=True)
class PhraseLists:
    boilerplate: tuple[str, ...]
    emotional: tuple[str, ...]
    blame: tuple[str, ...]
    blame_carrier: tuple[str, ...] = ()


def _parse_lists(text: str) -> dict[str, list[str]]:
    raw = tomllib.loads(text)
    return {k: [str(x) for x in raw.get(k, {}).get("phrases", [])]
            for k in KINDS}


@lru_cache(maxsize=8)
def _phrase_lists_cached(user_file: str | None, mtime: float) -> PhraseLists:
    shipped = resources.files("appealdesk.policies").joinpath(PHRASES_FILE).read_text("utf-8")
    lists = _parse_lists(shipped)
    if user_file:
        try:
            user = _parse_lists(Path(user_file).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            user = {}  # a broken user list must not stop the checks; the shipped one stays
        for key, values in user.items():
            lists[key] = lists[key] + values
    return PhraseLists(*(tuple(p.lower() for p in lists[k]) for k in KINDS))


def phrase_lists(user_dir: Path | None = None) -> PhraseLists:
    path = user_dir / PHRASES_FILE if user_dir else None
    if path is not None and path.is_file():
        return _phrase_lists_cached(str(path), path.stat().st_mtime)
    return _phrase_lists_cached(None, 0.0)


def lines_of(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.splitlines(), 1))


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line, phrase) for every listed phrase found verbatim (case and spacing aside)."""
    hits = []
    for n, line in lines_of(text):
        low = re.sub(r"\s+", " ", line.lower().replace("’", "'"))
        for p in phrases:
            if p and p in low:
                hits.append((n, p))
    return hits


def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = re.sub(r"is(e|ed|es|ing)$", r"iz\1", w)  # apologise -> apologize
    for suffix in ("ing", "ed", "es", "s", "e", "d"):
        if len(w) > 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


# Words that carry no meaning of their own: boilerplate is compared on the others,
# so "we have apologised for the inconvenience" meets "we apologize for any inconvenience".
_STOP = frozenset(
    "a an the we our us you your it its this that these those is are was were be been being "
    "has have had will shall would can could may to of for in on at by with and or any all "
    "very so as from".split())
_SAME = {"never": "not", "no": "not", "n't": "not"}


def stems(text: str) -> list[str]:
    """The meaning-carrying words of ``text``, stemmed."""
    out = []
    for w in re.findall(r"[A-Za-z']+", text):
        low = w.lower()
        if low in _STOP:
            continue
        out.append(_SAME.get(low, stem(low)))
    return out


def boilerplate_hits(text: str, phrases: tuple[str, ...],
                     threshold: float = BOILERPLATE_LIKENESS) -> list[tuple[int, str, str]]:
    """(line, listed phrase, words of the letter) for stretches nearly the same as a phrase.

    Verbatim hits are left to ``find_phrases``. English only: Chinese phrases are
    matched verbatim.
    """
    listed = [(p, stems(p)) for p in phrases if p and not CJK.search(p)]
    listed = [(p, s) for p, s in listed if len(s) >= 2]
    out = []
    for n, line in lines_of(text):
        for sentence in re.split(r"(?<=[.!?;])\s+", line):
            said = re.sub(r"\s+", " ", sentence.lower().replace("’", "'"))
            if any(p in said for p, _stems in listed):
                continue  # find_phrases reports it verbatim
            words = [w for w in re.findall(r"[A-Za-z']+", sentence) if w.lower() not in _STOP]
            if len(words) < 2:
                continue
            ws = [_SAME.get(w.lower(), stem(w)) for w in words]
            present = set(ws)
            for phrase, ps in listed:
                if len(present & set(ps)) < max(2, int(len(set(ps)) * 0.6)):
                    continue  # too few of its words to be a rewording of it
                best, span = 0.0, (0, 0)
                for size in (len(ps), len(ps) + 1):
                    for start in range(0, max(1, len(ws) - size + 1)):
                        window = ws[start:start + size]
                        sm = difflib.SequenceMatcher(None, window, ps, autojunk=False)
                        if sm.quick_ratio() < threshold:
                            continue
                        r = sm.ratio()
                        if r > best:
                            best, span = r, (start, start + size)
                if best >= threshold:
                    out.append((n, phrase, " ".join(words[span[0]:span[1]])))
                    break  # one finding per sentence is enough
    return out


def similarity(a: str, b: str) -> float:
    """How alike two letters are (0..1), on words, ignoring case, layout and our TODO notes."""
    def words(t: str) -> list[str]:
        kept = [ln for ln in t.splitlines() if not ln.lstrip().startswith("> TODO")]
        return re.findall(r"\w+", " ".join(kept).lower())
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
