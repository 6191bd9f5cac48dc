"""Which qualitative band (达成 / 部分达成 / 未达成) a text states — read, never guessed.

Order (财预〔2020〕10号 附件: 达成年度指标 [80%,100%], 部分达成年度指标并具有一定效果 [60%,80%),
未达成年度指标且效果较差 [0,60%); the band is the reviewer's judgement):

1. the 定性档次 the user chose (a template column, or a band word in the score/band cell) — ``chosen_band``;
2. the official phrases anywhere in the actual (the profile's band names and labels,
   达成/部分达成/未达成预期指标) — longest first, so 部分达成 is not read as 达成;
3. the phrase lexicon of ``udfs/lexicon.json`` with negation and scope: a negator (不/未/无/没有/尚未…)
   within ``scope`` characters before a phrase turns it into 未达成 ("效果不明显", "未能按期完成");
   achievement patterns that contain a negator on purpose ("未发生…事故", "未超支", "无…投诉") are
   达成; words such as 未来/不断 are not negators. Phrases are at least two characters.

Anything else — no phrase, or phrases of 达成 and 未达成 together — is ``None``: not scorable,
the user picks a 档次.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from .grammar import lexicon, normalize
from .profile import Profile

ACHIEVED, PARTIAL, MISSED = "达成", "部分达成", "未达成"
_PUNCT = re.compile(r"[,，。;；、!！?？:：()（）\[\]【】\s]")


@dataclass(frozen=True)
class BandReading:
    band: str | None
    how: str            # chosen / official / lexicon / none / conflict
    evidence: str = ""  # the phrase that decided


def chosen_band(x: object, profile: Profile) -> str | None:
    """A band the user picked: exactly a band name, its label or one of its aliases ("部分达成",
    "达成年度指标", "达成预期指标"), or None."""
    if not isinstance(x, str) or not x.strip():
        return None
    s = normalize(x)
    for b in profile.bands:
        if s in (b.band, normalize(b.label)) or s in {normalize(w) for w in b.keywords}:
            return b.band
    return None


@lru_cache(maxsize=8)
def _official(profile: Profile) -> list[tuple[str, str]]:
    """(phrase, band) from the profile, longest first: band labels and 〈band〉预期指标 / 年度指标 (a bare
    band name inside longer text — "基本达成" — is left to the lexicon, which knows its qualifiers)."""
    out: list[tuple[str, str]] = []
    for b in profile.bands:
        out += [(normalize(b.label), b.band), (b.band + "预期指标", b.band), (b.band + "年度指标", b.band),
                (b.band + "预期目标", b.band), (b.band + "年度目标", b.band)]
        out += [(normalize(w), b.band) for w in b.keywords if len(w) >= 2]
    return sorted(set(out), key=lambda t: -len(t[0]))


def _find_official(s: str, profile: Profile) -> str | None:
    """The band of the longest official phrase in ``s`` (部分达成 before 达成, 未达成 before 达成)."""
    taken = [False] * len(s)
    found: set[str] = set()
    for phrase, band in _official(profile):
        for m in re.finditer(re.escape(phrase), s):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.add(band)
    if len(found) == 1:
        return found.pop()
    return None


def _pattern(p: str) -> re.Pattern[str]:
    parts = [re.escape(x) for x in p.split("*")]
    return re.compile(r"[^,，。;；]{0,8}?".join(parts))


def profile_lexicon(profile: Profile | None) -> dict:
    """``udfs/lexicon.json`` with the profile's ``lexicon`` words added (lists extended, per band for
    ``phrases``; ``scope`` replaced): a province adds "较为满意" to 部分达成 in its profile file."""
    return _merged(_extra(profile))


def _extra(profile: Profile | None) -> str:
    """The profile's added words as a cache key (profiles compare by id and title only)."""
    return json.dumps(profile.data.get("lexicon", {}) if profile is not None else {}, ensure_ascii=False,
                      sort_keys=True)


@lru_cache(maxsize=16)
def _merged(extra_json: str) -> dict:
    lex = lexicon()
    merged = dict(lex)
    for key, value in json.loads(extra_json).items():
        if isinstance(value, list):
            merged[key] = [*lex.get(key, []), *value]
        elif isinstance(value, dict):
            base = lex.get(key, {})
            merged[key] = {**base, **{k: [*base.get(k, []), *v] for k, v in value.items()}}
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=16)
def _compiled(extra_json: str = "{}") -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, str]],
                                                list[str], list[str], int, list[str]]:
    lex = _merged(extra_json)
    ach = [(_pattern(a["pattern"]), a["band"]) for a in lex["achievements"]]
    phrases = sorted(((w, band) for band, words in lex["phrases"].items() for w in words), key=lambda t: -len(t[0]))
    negators = sorted(lex["negators"], key=len, reverse=True)
    return (ach, phrases, negators, list(lex["negator_exceptions"]), int(lex.get("scope", 3)),
            list(lex.get("phrase_exceptions", [])))


def _negated(s: str, start: int, negators: list[str], exceptions: list[str], scope: int) -> str | None:
    """The negator in the ``scope`` characters before ``start`` (no punctuation between), if any."""
    window_start = max(0, start - scope - 2)
    window = s[window_start:start]
    cut = max((m.end() for m in _PUNCT.finditer(window)), default=0)
    window = window[cut:]
    for neg in negators:
        i = window.rfind(neg)
        while i >= 0:
            absolute = window_start + cut + i
            gap = start - (absolute + len(neg))
            if gap <= scope and not any(s.startswith(e, absolute) for e in exceptions):
                return neg
            i = window.rfind(neg, 0, i)
    return None


def lexicon_band(text: str, profile: Profile | None = None) -> BandReading:
    """The band the lexicon (with the profile's added words) reads in ``text`` (step 3 above)."""
    s = normalize(text)
    ach, phrases, negators, exceptions, scope, words = _compiled(_extra(profile))
    taken = [False] * len(s)
    bands: dict[str, str] = {}
    for pat, band in ach:
        for m in pat.finditer(s):
            if not any(taken[m.start():m.end()]):
                for i in range(m.start(), m.end()):
                    taken[i] = True
                bands.setdefault(band, m.group(0))
    # phrase_exceptions ("一般公共预算", "一般性"): a band phrase wholly inside one is part of another word
    inside = [(m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), s)]
    for word, band in phrases:
        for m in re.finditer(re.escape(word), s):
            if any(taken[m.start():m.end()]) or any(a <= m.start() and m.end() <= b for a, b in inside):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            neg = _negated(s, m.start(), negators, exceptions, scope)
            if neg is not None:
                band = MISSED
                for i in range(max(0, m.start() - scope - len(neg)), m.start()):
                    taken[i] = True
                bands.setdefault(band, s[s.rfind(neg, 0, m.start()):m.end()])
            else:
                bands.setdefault(band, word)
    if not bands:
        return BandReading(None, "none")
    if set(bands) == {ACHIEVED, PARTIAL}:           # "有所提高": the qualifier narrows the claim
        return BandReading(PARTIAL, "lexicon", bands[PARTIAL])
    if len(bands) > 1:
        return BandReading(None, "conflict", "、".join(bands.values()))
    band, ev = next(iter(bands.items()))
    return BandReading(band, "lexicon", ev)


def read_band(actual: object, profile: Profile, chosen: object = None) -> BandReading:
    """The band of a qualitative indicator, in the order of the module doc."""
    c = chosen_band(chosen, profile) if chosen is not None else None
    if c is not None:
        return BandReading(c, "chosen", str(chosen))
    if not isinstance(actual, str) or not actual.strip():
        return BandReading(None, "none")
    s = normalize(actual)
    exact = chosen_band(s, profile)
    if exact is not None:
        return BandReading(exact, "official", s)
    off = _find_official(s, profile)
    if off is not None:
        return BandReading(off, "official", s)
    return lexicon_band(s, profile)


def deadline_status(text: object, profile: Profile | None = None) -> bool | None:
    """Whether a written actual says a deadline was met (按期完成 → True, 逾期/延期/未按期 → False), else None."""
    if not isinstance(text, str):
        return None
    s = normalize(text)
    lex = profile_lexicon(profile)
    _, _, negators, exceptions, scope, _ = _compiled(_extra(profile))
    met = missed = False
    for w in sorted(lex["deadline"]["missed"], key=len, reverse=True):
        if w in s:
            missed = True
    for w in sorted(lex["deadline"]["met"], key=len, reverse=True):
        for m in re.finditer(re.escape(w), s):
            if _negated(s, m.start(), negators, exceptions, scope):
                missed = True
            else:
                met = True
    if met == missed:
        return None
    return met
