"""Composing text for the demo community: name forms as bylines print them, and titles and
abstracts from the vocabularies in data.py. Pure functions over a seeded Random."""

from __future__ import annotations

import unicodedata
from random import Random

from .data import (
    ADJECTIVES,
    AREAS,
    FAMILY_FIRST,
    FINDINGS,
    SYSTEM_NAMES,
    TITLES,
    TOPICS,
    TRANSLITERATIONS,
)

_ASCII = str.maketrans({"ł": "l", "Ł": "L", "\u0131": "i", "ø": "o"})


def split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";")]


def _ascii(name: str) -> str:
    name = unicodedata.normalize("NFKD", name.translate(_ASCII))
    return "".join(ch for ch in name if not unicodedata.combining(ch))


def initials(name: str) -> str:
    """ "Ada Lindqvist" -> "A. Lindqvist"; "Ji-woo Kim" -> "J. Kim"."""
    *given, family = name.split()
    return " ".join([f"{g[0]}." for g in given] + [family])


def name_variants(rng: Random, name: str, tradition: str) -> tuple[str, ...]:
    """Forms the person is also printed as: initials, transliterations, family name first."""
    found = []
    if rng.random() < 0.35:
        found.append(initials(name))
    transliterated = " ".join(TRANSLITERATIONS.get(token, token) for token in name.split())
    for variant in (transliterated, _ascii(name)):
        if variant != name and variant not in found:
            found.append(variant)
    if tradition in FAMILY_FIRST and rng.random() < 0.3:
        found.append(" ".join(reversed(name.split())))
    return tuple(found)


def printed(rng: Random, name: str, variants: tuple[str, ...]) -> str:
    """The name as a byline prints it: mostly in full, sometimes initials or a variant."""
    draw = rng.random()
    if draw < 0.25:
        return initials(name)
    if draw < 0.4 and variants:
        return rng.choice(variants)
    return name


def _phrase(text: str) -> str:
    """A title phrase lower-cased for running text, acronyms kept: "GPU-Accelerated Data
    Lakes" -> "GPU-accelerated data lakes"."""
    return " ".join(
        "-".join(part if part.isupper() else part.lower() for part in word.split("-"))
        for word in text.split()
    )


def _article(word: str) -> str:
    return "An" if word[0] in "AEIOU" else "A"


def compose(rng: Random, topic: str, area: str, kind: str) -> tuple[str, str]:
    """A title and a three- or four-sentence abstract from the topic's and area's words."""
    methods, problems, settings = (split(x) for x in next(t for t in TOPICS if t[0] == topic)[3:])
    m, m2 = rng.sample(methods, 2)
    p, q = rng.choice(problems), rng.choice(settings)
    a = rng.choice([adj for adj in split(ADJECTIVES) if adj not in f"{p} {q}"])
    s = rng.choice(split(SYSTEM_NAMES))
    if kind == "dataset":
        title = f"{s}: {rng.choice(('A Dataset', 'A Benchmark', 'An Open Corpus'))} for {q} {p}"
    else:
        title = rng.choice(TITLES).format(A=a, M=m, M2=m2, P=p, Q=q, S=s, An=_article(a))
    subject = (
        s if s in title else f"{_article(a).lower()} {_phrase(a)} approach based on {_phrase(m)}"
    )
    return title, _abstract(rng, area, subject, _phrase(p), _phrase(q), _phrase(m2))


def _abstract(rng: Random, area: str, subject: str, p: str, q: str, m2: str) -> str:
    """Problem, prior work's weakness, the contribution, a result, sometimes a finding."""
    field_, *lists = AREAS[area]
    contexts, weaknesses, actions, metrics, data = (split(x) for x in lists)
    context, weakness = rng.choice(contexts), rng.choice(weaknesses)
    opening = rng.choice(
        (
            f"Progress in {p} underpins {context}, yet {weakness}.",
            f"Research on {p} is a long-standing thread in {field_}, but {weakness}.",
            f"Getting {q} {p} right matters for {context}; however, {weakness}.",
        )
    )
    sentences = [
        opening,
        f"We present {subject}, which {rng.choice(actions)}.",
        f"On {rng.choice(data)}, it improves on the strongest baseline's "
        f"{rng.choice(metrics)} by {rng.randint(8, 60)}%.",
    ]
    if rng.random() < 0.6:
        finding = rng.choice(FINDINGS).format(m2=m2, k=rng.randint(3, 9))
        sentences.append(f"We also find that {finding}.")
    return " ".join(sentences)
