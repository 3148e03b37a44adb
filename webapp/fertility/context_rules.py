"""Which library articles sit beside a journal entry, and why: the rules, as data.

Pure standard-library code: no Flask, no database. The view gathers *facts* about an entry
(what was logged, plus a little history such as days past insemination) with the ``*_facts``
helpers below, and :func:`match_articles` walks :data:`RULES` in order and returns up to three
``(slug, reason)`` pairs. Where no rule matches, the view searches the library with the
entry's own words instead (on the server; see :mod:`webapp.journal.beside`).

A rule's ``when`` maps a fact name to what it must be:

- ``True`` / ``False``: the fact is truthy / falsy (a missing fact is falsy)
- a ``range``: an int fact inside it (``range(6, 13)`` is 6 to 12 days)
- a ``frozenset``: the fact is one of its members
- anything else: the fact equals it

Every condition of a rule must hold. A reason may name facts in braces: ``"{days_past_insemination}"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DAY",
    "INSEMINATION",
    "NOTE",
    "OUTCOME",
    "RULES",
    "TEST",
    "Rule",
    "day_facts",
    "insemination_facts",
    "match_articles",
    "match_many",
    "note_facts",
    "outcome_facts",
    "pregnancy_test_facts",
    ]

DAY, INSEMINATION, NOTE, TEST, OUTCOME = "day", "insemination", "note", "test", "outcome"
MAX_ARTICLES = 3


@dataclass(frozen=True)
class Rule:
    entries: frozenset[str]
    when: Mapping[str, Any]
    slug: str
    reason: str


def _rule(entries: str, when: Mapping[str, Any], slug: str, reason: str) -> Rule:
    return Rule(frozenset(entries.split()), when, slug, reason)


ANY = True
LEAKED = frozenset({"a_little", "a_lot"})
CRAMPED = frozenset({"mild", "strong"})
SIX_TO_TWELVE = range(6, 13)
WITHIN_SIX_WEEKS = range(0, 43)
BEFORE_TEN = range(0, 10)
TWO_WEEK_WAIT = range(1, 15)

# In priority order: what answers the entry most directly comes first; at most three are shown.
# fmt: off
RULES: tuple[Rule, ...] = (
    # entries           when                                                  slug                               reason
    _rule("note",        {"leakage": LEAKED},                                    "leakage-after-insemination",      "You noted leakage"),
    _rule("day note",    {"spotting": ANY, "days_past_insemination": SIX_TO_TWELVE}, "implantation-bleeding",   "Spotting {days_past_insemination} days after insemination"),
    _rule("day",         {"spotting": ANY, "days_past_ovulation": SIX_TO_TWELVE},    "implantation-bleeding",   "Spotting {days_past_ovulation} days past ovulation"),
    _rule("day",         {"bleeding": ANY, "days_since_positive_test": WITHIN_SIX_WEEKS}, "chemical-pregnancy", "Bleeding after a positive test"),
    _rule("test",        {"positive": False, "days_since_positive_test": WITHIN_SIX_WEEKS}, "chemical-pregnancy", "A negative test after a positive one"),
    _rule("test",        {"hcg_falling": ANY},                                   "chemical-pregnancy",              "Your hCG went down"),
    _rule("outcome",     {"outcome": "chemical"},                                "chemical-pregnancy",              "A very early loss"),
    _rule("outcome",     {"outcome": "loss"},                                    "early-miscarriage",               "A loss"),
    _rule("outcome",     {"outcome": frozenset({"chemical", "loss"})},           "trying-again-after-loss",         "When you feel ready"),
    _rule("day",         {"ovulation_test": "peak"},                             "when-to-inseminate",              "A peak ovulation test"),
    _rule("day",         {"mucus_appearance": "egg_white"},                      "when-to-inseminate",              "Egg-white mucus"),
    _rule("day",         {"mucus_feeling": "slippery"},                          "when-to-inseminate",              "Slippery mucus"),
    _rule("insemination", {"sperm": "frozen"},                                   "thawing-frozen-sperm",            "Frozen sperm"),
    _rule("test",        {"result": "faint"},                                    "faint-lines-on-pregnancy-tests",  "A faint line"),
    _rule("test",        {"kind": "blood"},                                      "hcg-levels",                      "A blood hCG value"),
    _rule("test",        {"days_past": BEFORE_TEN},                              "when-to-take-a-pregnancy-test",   "Testing {days_past} days past {days_past_what}"),
    _rule("day",         {"temperature": ANY},                                   "how-to-chart-your-cycle",         "You logged a temperature"),
    _rule("day",         {"cervix": ANY},                                        "how-to-find-your-cervix",         "You checked your cervix"),
    _rule("day",         {"mucus": ANY},                                         "cervical-mucus-types",            "You noted your mucus"),
    _rule("day",         {"ovulation_test": ANY},                                "ovulation-predictor-kits",        "An ovulation test"),
    _rule("note",        {"cramping": CRAMPED},                                  "after-insemination-what-to-do",   "You noted cramping"),
    _rule("note",        {"lying_down_minutes": ANY},                            "after-insemination-what-to-do",   "Resting afterwards"),
    _rule("insemination", {"method": "ici"},                                     "how-to-do-ici-at-home",           "Insemination at home"),
    _rule("insemination", {"method": "iui"},                                     "ici-vs-iui",                      "IUI at a clinic"),
    _rule("insemination", {"sperm": "fresh"},                                    "fresh-vs-frozen-sperm",           "Fresh sperm"),
    _rule("insemination", {"donor_kind": "known"},                               "known-donor-or-bank-donor",       "A known donor"),
    _rule("insemination", {"donor_kind": "bank"},                                "donor-screening-and-testing",     "A bank donor"),
    _rule("day",         {"days_past_insemination": TWO_WEEK_WAIT},              "two-week-wait",                   "You are in your two-week wait"),
    _rule("test",        {"positive": False},                                    "two-week-wait",                   "A negative test"),
)
# fmt: on


def _holds(expected: Any, value: Any) -> bool:
    if expected is True or expected is False:
        return bool(value) is expected
    if value is None:
        return False
    if isinstance(expected, range):
        return isinstance(value, int) and not isinstance(value, bool) and value in expected
    if isinstance(expected, frozenset):
        return value in expected
    return value == expected


def _applies(rule: Rule, entry: str, facts: Mapping[str, Any]) -> bool:
    return entry in rule.entries and all(
        _holds(expected, facts.get(name)) for name, expected in rule.when.items()
    )


def match_articles(
    entry: str,
    facts: Mapping[str, Any],
    rules: Iterable[Rule] = RULES,
    limit: int = MAX_ARTICLES,
) -> list[tuple[str, str]]:
    """Up to ``limit`` ``(slug, reason)`` pairs for an entry, first rule first, no slug twice."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for rule in rules:
        if len(found) >= limit:
            break
        if rule.slug in seen or not _applies(rule, entry, facts):
            continue
        seen.add(rule.slug)
        found.append((rule.slug, rule.reason.format_map(_Defaulting(facts))))
    return found


def match_many(
    entries: Iterable[tuple[str, Mapping[str, Any]]],
    rules: Iterable[Rule] = RULES,
    limit: int = MAX_ARTICLES,
) -> list[tuple[str, str]]:
    """The best ``limit`` articles across several entries (a whole cycle, say): each slug
    once, ranked by the first rule that matched any entry."""
    by_entry: dict[str, list[tuple[int, Rule]]] = {}
    for rank, rule in enumerate(rules):
        for entry in rule.entries:
            by_entry.setdefault(entry, []).append((rank, rule))
    best: dict[str, tuple[int, str]] = {}
    for entry, facts in entries:
        for rank, rule in by_entry.get(entry, ()):
            if rule.slug in best and best[rule.slug][0] <= rank:
                continue
            if _applies(rule, entry, facts):
                best[rule.slug] = (rank, rule.reason.format_map(_Defaulting(facts)))
    ranked = sorted(best.items(), key=lambda item: item[1][0])
    return [(slug, reason) for slug, (_, reason) in ranked[:limit]]


class _Defaulting(dict):
    def __init__(self, facts: Mapping[str, Any]):
        super().__init__(facts)

    def __missing__(self, key: str) -> str:
        return "some"


# --------------------------------------------------------------------------- facts


def day_facts(
    day: Any,
    *,
    days_past_insemination: int | None = None,
    days_past_ovulation: int | None = None,
    days_since_positive_test: int | None = None,
) -> dict[str, Any]:
    """Facts about a :class:`~webapp.journal.models.Day` (or anything with its attributes)."""
    return {
        "bleeding": day.bleeding,
        "spotting": day.bleeding == "spotting",
        "temperature": day.temperature_centi is not None,
        "temperature_disturbed": day.temperature_disturbance is not None,
        "mucus": day.mucus_feeling is not None or day.mucus_appearance is not None,
        "mucus_feeling": day.mucus_feeling,
        "mucus_appearance": day.mucus_appearance,
        "cervix": any((day.cervix_position, day.cervix_firmness, day.cervix_opening)),
        "ovulation_test": day.ovulation_test,
        "days_past_insemination": days_past_insemination,
        "days_past_ovulation": days_past_ovulation,
        "days_since_positive_test": days_since_positive_test,
    }


def insemination_facts(insemination: Any, donor_kind: str | None = None) -> dict[str, Any]:
    return {
        "method": insemination.method,
        "sperm": insemination.sperm,
        "donor_kind": donor_kind,
    }


def note_facts(note: Any, days_past_insemination: int | None = None) -> dict[str, Any]:
    return {
        "leakage": note.leakage,
        "cramping": note.cramping,
        "spotting": bool(note.spotting),
        "lying_down_minutes": note.lying_down_minutes,
        "days_past_insemination": days_past_insemination,
    }


def pregnancy_test_facts(
    test: Any,
    *,
    positive: bool,
    days_past: int | None = None,
    days_past_what: str = "insemination",
    days_since_positive_test: int | None = None,
    hcg_falling: bool = False,
) -> dict[str, Any]:
    """``days_past`` counts from ovulation or insemination (``days_past_what`` says which);
    ``days_since_positive_test`` counts from an *earlier* positive test, not this one."""
    return {
        "kind": test.kind,
        "result": test.result,
        "positive": positive,
        "days_past": days_past,
        "days_past_what": days_past_what,
        "days_since_positive_test": days_since_positive_test,
        "hcg_falling": hcg_falling,
    }


def outcome_facts(outcome: Any) -> dict[str, Any]:
    return {"outcome": outcome.outcome}
