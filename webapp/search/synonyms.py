"""The community's shorthand, read as the words the articles use.

People trying to conceive write "2ww", "bfp", "8dpo" or "temping"; the articles say "two-week
wait", "positive test", "days past ovulation" and "temperature". At query time each such word
becomes a group of itself OR its meanings (`expand_query`), so the reader's word finds the
article's. Only whole words outside quoted phrases are expanded; everything else in the query,
operators and markup included, is left exactly as typed.

Whoosh's Porter stemmer reads "temping" as "temp", which no article uses, so the spoken forms of
taking a temperature are listed here rather than left to the stemmer.
"""

import re

TEMPERATURE = ("temperature", "charting")

Meaning = str | tuple[str, ...]

# Lower-case word -> what it means: a word, a phrase (its words in order), or a tuple of words
# and phrases that must all appear ("positive" near any "pregnancy test", not an OPK's positive).
SYNONYMS: dict[str, tuple[Meaning, ...]] = {
    "2ww": ("two week wait",),
    "tww": ("two week wait",),
    "bfp": ("positive pregnancy test", ("positive", "pregnancy test"), "big fat positive"),
    "bfn": ("negative pregnancy test", ("negative", "pregnancy test"), "big fat negative"),
    "dpo": ("days past ovulation", "after ovulation"),
    "dpiui": ("days past insemination", "after insemination"),
    "dpi": ("days past insemination", "after insemination"),
    "opk": ("ovulation predictor kit", "ovulation test", "lh test"),
    "opks": ("ovulation predictor kits", "ovulation tests", "lh tests"),
    "ewcm": ("egg white cervical mucus", "egg white mucus", "egg white"),
    "cm": ("cervical mucus",),
    "ttc": ("trying to conceive",),
    "iui": ("intrauterine insemination",),
    "ici": ("intracervical insemination",),
    # Intravaginal insemination: what most people doing "ICI" at home with a syringe do.
    "ivi": ("intravaginal insemination", "insemination at home", "ici"),
    "ivf": ("in vitro fertilisation",),
    "beta": ("hcg blood test", "hcg"),
    "betas": ("hcg blood tests", "hcg"),
    "af": ("period", "aunt flo"),
    "lmp": ("last menstrual period", "last period", "first day of bleeding", "first day of proper bleeding"),
    "cd": ("cycle day",),
    "hpt": ("home pregnancy test", "pregnancy test"),
    "hpts": ("home pregnancy tests", "pregnancy tests"),
    "fmu": ("first morning urine", "first urine", "morning urine"),
    "bbt": ("basal body temperature",),
    "temping": TEMPERATURE,
    "temped": TEMPERATURE,
    "temp": TEMPERATURE,
    "temps": TEMPERATURE,
    "mc": ("miscarriage",),
    "mmc": ("missed miscarriage", "miscarriage"),
    "cp": ("chemical pregnancy",),
    "lp": ("luteal phase",),
    "ov": ("ovulation",),
    "kd": ("known donor",),
    "edd": ("due date",),
    "p4": ("progesterone",),
    "prog": ("progesterone",),
    "e2": ("oestrogen", "estrogen"),
    "tmc": ("total motile count", "motile"),
    "rpl": ("recurrent pregnancy loss", "recurrent miscarriage"),
}

# Words that only join two things being compared ("ici vs iui"): articles rarely use them, and
# requiring them would hide the very article that compares the two.
COMPARISON_WORDS = frozenset({"vs", "versus"})

# Shorthand glued to a day number: "8dpo", "dpo8", "cd14", "10dpiui".
_NUMBERED = re.compile(r"(\d{1,2})?(dpo|dpiui|dpi|cd)(\d{1,2})?")
# A quoted phrase (closed or not), a bracket, or a run of anything else but spaces.
_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s"()]+')
_TRAILING_PUNCTUATION = re.compile(r"[?!.,;:]+$")


def meanings(word: str) -> tuple[Meaning, ...]:
    """The words or phrases a typed word stands for; () when it is not shorthand."""
    lower = word.lower()
    if lower in SYNONYMS:
        return SYNONYMS[lower]
    numbered = _NUMBERED.fullmatch(lower)
    if numbered and (numbered.group(1) or numbered.group(3)):
        return (numbered.group(2), *SYNONYMS[numbered.group(2)])
    return ()


def is_shorthand(word: str) -> bool:
    return bool(meanings(word))


def _expand_token(match: re.Match) -> str:
    token = match.group(0)
    if token.startswith('"') or token in ("(", ")"):
        return token
    punctuation = _TRAILING_PUNCTUATION.search(token)
    word = token[: punctuation.start()] if punctuation else token
    if word.lower() in COMPARISON_WORDS or word.lower() == "v" and punctuation:
        return ""
    found = meanings(word)
    if not found:
        return token
    alternatives = [word] + [_as_query(meaning) for meaning in found]
    return "(" + " OR ".join(alternatives) + ")" + (punctuation.group(0) if punctuation else "")


def _as_query(meaning: Meaning) -> str:
    if isinstance(meaning, tuple):
        return "(" + " AND ".join(map(_as_query, meaning)) + ")"
    return f'"{meaning}"' if " " in meaning else meaning


def expand_query(text: str) -> str:
    """The query text with each shorthand word replaced by (word OR meaning OR ...), and the
    words of a comparison ("vs") left out, unless they are all there is."""
    expanded = _TOKEN.sub(_expand_token, text)
    return expanded if expanded.strip() else text
