"""Name folding and matching for author search. Pure functions over strings.

A name is folded (accents removed, lower-case, punctuation to spaces) on both sides, so
"Yongjí Wu" and "yongji wu" are the same key. An author's search key holds every form worth
matching: the display name, each variant, and the initial-plus-family form ("y wu"), so that
"Y. Wu" finds "Yongji Wu" by trigram word similarity in PostgreSQL and by the same scorer in
Python.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Letters that Unicode decomposition leaves alone but people type without their marks.
_EXTRA_FOLDS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "\u0131": "i"}
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
KEY_SEPARATOR = " | "


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: "Wu, Yongjí" -> "wu yongji"."""
    text = text.lower()
    if not text.isascii():  # ASCII, as most names are, has no accents to strip
        text = unicodedata.normalize("NFKD", text).translate(_EXTRA_FOLDS)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


def query_key(query: str) -> str:
    """Fold a typed name, turning "Family, Given" round to "given family"."""
    if query.count(",") == 1:
        family, given = query.split(",")
        query = f"{given} {family}"
    return fold(query)


def initial_form(folded: str) -> str | None:
    """ "yongji wu" -> "y wu"; "ada m lindqvist" -> "a m lindqvist"; None for one word."""
    tokens = folded.split()
    if len(tokens) < 2:
        return None
    return " ".join([t[0] for t in tokens[:-1]] + [tokens[-1]])


def name_forms(display_name: str, variants: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Every folded form an author can be found by, most canonical first, without repeats."""
    forms: list[str] = []
    for name in [display_name, *variants]:
        folded = query_key(name)
        for form in (folded, initial_form(folded)):
            if form and form not in forms:
                forms.append(form)
    return forms


def author_search_key(display_name: str, variants: list[str] | tuple[str, ...] = ()) -> str:
    return KEY_SEPARATOR.join(name_forms(display_name, variants))


def name_match_score(query: str, search_key: str) -> float:
    """0-100: how well a typed name matches an author's search key (best over its forms).

    A query with initials ("y wu") must agree with a form's initials; full words may differ
    by a typo ("yongji wuu")."""
    wanted = query_key(query)
    if not wanted:
        return 0.0
    best = 0.0
    for form in search_key.split(KEY_SEPARATOR):
        score = max(fuzz.ratio(wanted, form), fuzz.token_sort_ratio(wanted, form))
        if not _initials_agree(wanted, form):
            score *= 0.5
        best = max(best, score)
    return best


def _initials_agree(wanted: str, form: str) -> bool:
    wanted_tokens, form_tokens = wanted.split(), form.split()
    if len(wanted_tokens) != len(form_tokens):
        return True  # a different shape: leave it to the string score
    return all(w[0] == f[0] for w, f in zip(wanted_tokens, form_tokens, strict=True) if len(w) == 1)


def names_compatible(a: str, b: str) -> bool:
    """Could these two printed names be the same person? Same family name with agreeing
    initials ("J. Smith" / "John Smith"), or near-identical spellings."""
    fa, fb = query_key(a).split(), query_key(b).split()
    if not fa or not fb:
        return False
    if fa[-1] == fb[-1] and fa[0][0] == fb[0][0]:
        return True
    return fuzz.token_sort_ratio(" ".join(fa), " ".join(fb)) >= 85


def _rare_letter(ch: str) -> bool:
    """Letters that turn up in names mostly as encoding damage: Latin Extended-B ("ǵ"), the
    dotless i (U+0131) outside Turkish, and combining marks left over after composition."""
    return 0x0180 <= ord(ch) <= 0x024F or ch == "\u0131" or unicodedata.combining(ch) > 0


def name_garbled(display: str, printed: str) -> bool:
    """A simple garble check: the upstream display name spells the same letters as the name
    printed on the paper but with a rare letter the paper does not have ("Hervé Jeǵou" for
    "Hervé Jégou", a dotless i in "Prahani"). A display name that only adds marks the
    byline lacks ("Alperín" for "Alperin") passes."""
    if not display or not printed or display == printed:
        return False
    display_nfc = unicodedata.normalize("NFC", display)
    printed_nfc = unicodedata.normalize("NFC", printed)
    if fold(display_nfc) != fold(printed_nfc):
        return False
    return any(_rare_letter(ch) and ch not in printed_nfc for ch in display_nfc)


def preferred_name(printed: str, display: str | None) -> str:
    """The name a new record takes from a byline: the source's display name for the person,
    unless it fails the garble check against what the paper printed."""
    if display and not name_garbled(display, printed):
        return display
    return printed or display or ""
