"""Which library articles sit beside a journal entry, and why: the rules, as data.

Pure standard-library code: no Flask, no database. The view gathers *facts* about an entry
(what was logged, plus a little history such as days past insemination) with the ``*_facts``
helpers below (a whole cycle is an entry too, on its own page), and :func:`match_articles` walks :data:`RULES` in order and returns up to three
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
    "CYCLE",
    "DAY",
    "INSEMINATION",
    "NOTE",
    "OUTCOME",
    "RULES",
    "TEST",
    "Rule",
    "cycle_facts",
    "day_facts",
    "hcg_rise_48h_pct",
    "insemination_facts",
    "match_articles",
    "match_many",
    "mentions_trigger",
    "note_facts",
    "pregnancy_ended",
    "outcome_facts",
    "pregnancy_test_facts",
    ]

DAY, INSEMINATION, NOTE, TEST, OUTCOME, CYCLE = "day", "insemination", "note", "test", "outcome", "cycle"
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
SPOTTING_OR_LIGHT = frozenset({"spotting", "light"})
MEDIUM_OR_HEAVY = frozenset({"medium", "heavy"})
OVULATION_TEST_HIGH = frozenset({"high", "peak"})
AT_HOME = frozenset({"ici", "ivi"})
NOT_AT_A_CLINIC = frozenset({"ici", "ivi", "other"})
LOSSES = frozenset({"chemical", "loss"})

# Day counts (a range is its first day to one before its last).
EARLY_PREGNANCY = range(0, 43)  # six weeks after a positive test: later, other advice applies
SOON_AFTER = range(0, 4)  # a positive test 0-3 days ago: a negative one now may be a retest
WEEK_AFTER = range(0, 8)  # the week after an insemination, when a fever matters
JUST_AFTER = range(0, 4)  # 0-3 days after an insemination: blood from the cervix, not implantation
IMPLANTATION_DPO = range(6, 13)
IMPLANTATION_DPI = range(6, 15)  # insemination is often 0-2 days before ovulation
LATE_LUTEAL = range(7, 15)
AROUND_OVULATION = range(0, 3)
LUTEAL = range(1, 20)
BEFORE_TEN = range(0, 10)
TEN_TO_FOURTEEN = range(10, 15)
PERIOD_LATE = range(17, 120)  # 17 days or more past ovulation: a period more than a few days late
TWO_WEEK_WAIT = range(1, 15)
SLOW_HCG_RISE = range(0, 63)  # % over 48 h: NICE reviews a rise under 63% (hcg-levels.md)
SHORT_LUTEAL = range(1, 11)  # 10 days or fewer
LONG_CYCLE = range(36, 1000)  # over 35 days
VARYING = range(8, 1000)  # recent cycle lengths more than 7 days apart
MANY_LH_POSITIVES = range(4, 1000)
SIX_OR_MORE = range(6, 1000)  # NICE CG156: assessment after 6 cycles of insemination
THREE_TO_FIVE = range(3, 6)  # NICE CG156: earlier referral at 36 or over
TWO_OR_MORE = range(2, 1000)

# In priority order: what answers the entry most directly (and what is urgent) comes first; at
# most three are shown. On a cycle's page the order also ranks entries of different kinds.
# fmt: off
RULES: tuple[Rule, ...] = (
    # entries      when                                                                      slug                                           reason
    # Bleeding while a recent positive test stands (no negative test or falling hCG since): never a loss by default.
    _rule("day",   {"pregnant": ANY, "bleeding": MEDIUM_OR_HEAVY},                            "early-miscarriage",                           "Heavier bleeding in pregnancy: when to get help"),
    _rule("day",   {"pregnant": ANY, "bleeding": ANY, "pain": ANY},                           "early-miscarriage",                           "Bleeding with pain: when to get help"),
    _rule("day",   {"pregnant": ANY, "bleeding": SPOTTING_OR_LIGHT},                          "implantation-bleeding",                       "Bleeding in early pregnancy: what to watch for"),
    _rule("day",   {"pregnant": ANY, "bleeding": SPOTTING_OR_LIGHT},                          "early-pregnancy-signs-and-first-appointments", "Light bleeding in early pregnancy"),
    _rule("day",   {"tests_turned_negative": ANY, "bleeding": ANY},                           "chemical-pregnancy",                          "Bleeding after your tests turned negative"),
    # Tests: falling or slowly rising hCG, and a negative test after a positive one.
    _rule("test",  {"hcg_falling": ANY},                                                      "chemical-pregnancy",                          "Your hCG went down"),
    _rule("test",  {"hcg_falling": ANY},                                                      "hcg-levels",                                  "Your hCG went down"),
    _rule("test",  {"hcg_falling_from_high": ANY},                                            "early-miscarriage",                           "hCG falling from a higher level"),
    _rule("test",  {"hcg_rise_48h_pct": SLOW_HCG_RISE},                                       "hcg-levels",                                  "Your hCG rose more slowly than usual"),
    _rule("test",  {"hcg_rise_48h_pct": SLOW_HCG_RISE},                                       "early-miscarriage",                           "A slow rise: the warning signs"),
    _rule("test",  {"positive": False, "earlier_positive_result": "faint"},                   "faint-lines-on-pregnancy-tests",              "A negative test after a faint line"),
    _rule("test",  {"positive": False, "earlier_positive": ANY, "days_since_positive_test": SOON_AFTER}, "faint-lines-on-pregnancy-tests", "A negative test soon after a positive"),
    _rule("test",  {"positive": False, "earlier_positive": ANY, "recent_trigger": ANY},       "faint-lines-on-pregnancy-tests",              "A negative test after a trigger shot"),
    _rule("test",  {"positive": False, "earlier_positive_result": "faint"},                   "when-to-take-a-pregnancy-test",               "When to test again"),
    _rule("test",  {"positive": False, "earlier_positive": ANY, "days_since_positive_test": SOON_AFTER}, "when-to-take-a-pregnancy-test", "When to test again"),
    _rule("test",  {"positive": False, "earlier_positive": ANY, "recent_trigger": ANY},       "medicated-cycles-and-trigger-shots",          "A trigger shot can show as positive"),
    _rule("test",  {"positive": False, "earlier_positive": ANY, "days_since_positive_test": EARLY_PREGNANCY}, "chemical-pregnancy",   "A negative test after a positive one"),
    # The week after an insemination.
    _rule("day",   {"fever": ANY, "days_past_insemination": WEEK_AFTER},                      "after-insemination-what-to-do",               "A raised temperature after insemination"),
    _rule("note",  {"leakage": LEAKED},                                                       "leakage-after-insemination",                  "You noted leakage"),
    _rule("day",   {"bleeding": SPOTTING_OR_LIGHT, "days_past_insemination": JUST_AFTER},     "leakage-after-insemination",                  "Spotting {days_past_insemination} days after insemination"),
    _rule("note",  {"spotting": ANY, "days_past_insemination": JUST_AFTER},                   "leakage-after-insemination",                  "Spotting {days_past_insemination} days after insemination"),
    _rule("day",   {"bleeding": SPOTTING_OR_LIGHT, "days_past_insemination": JUST_AFTER},     "after-insemination-what-to-do",               "Spotting soon after insemination"),
    _rule("note",  {"spotting": ANY, "days_past_insemination": JUST_AFTER},                   "after-insemination-what-to-do",               "Spotting soon after insemination"),
    _rule("note",  {"cramping": "strong"},                                                    "after-insemination-what-to-do",               "You noted strong cramping"),
    _rule("note",  {"cramping": "strong"},                                                    "ovulation-pain-endometriosis-and-emergencies", "Strong pain: when to get help"),
    # How a cycle ended.
    _rule("outcome", {"outcome": "chemical"},                                                 "chemical-pregnancy",                          "A very early loss"),
    _rule("outcome", {"outcome": "loss"},                                                     "early-miscarriage",                           "A loss"),
    _rule("outcome", {"outcome": LOSSES, "losses": TWO_OR_MORE},                              "repeated-pregnancy-loss",                     "More than one loss"),
    _rule("outcome", {"outcome": LOSSES},                                                     "trying-again-after-loss",                     "When you feel ready"),
    _rule("outcome", {"outcome": "pregnancy"},                                                "positive-pregnancy-test-what-next",           "A pregnancy: what comes next"),
    _rule("outcome", {"outcome": "pregnancy"},                                                "early-pregnancy-signs-and-first-appointments", "Your first appointments"),
    _rule("outcome", {"outcome": "not_pregnant", "insemination_cycles": SIX_OR_MORE},   "when-to-see-a-fertility-specialist",          "{insemination_cycles} cycles of insemination without a pregnancy"),
    _rule("cycle", {"insemination_cycles": SIX_OR_MORE},                                      "when-to-see-a-fertility-specialist",          "{insemination_cycles} cycles of insemination without a pregnancy"),
    _rule("outcome", {"outcome": "not_pregnant"},                                             "coping-with-the-two-week-wait",               "When a cycle does not work"),
    _rule("outcome", {"outcome": "not_pregnant"},                                             "when-to-inseminate",                          "Timing the next cycle"),
    _rule("outcome", {"outcome": "not_pregnant", "insemination_cycles": THREE_TO_FIVE},       "trying-to-conceive-after-35",                 "Over 35? You may see someone sooner"),
    # A whole cycle.
    _rule("cycle", {"luteal_days": SHORT_LUTEAL},                                             "luteal-phase",                                "A luteal phase of {luteal_days} days"),
    _rule("cycle", {"luteal_days": SHORT_LUTEAL},                                             "progesterone-and-pdg-tests",                  "A short luteal phase"),
    _rule("cycle", {"cycle_length": LONG_CYCLE},                                              "irregular-cycles",                            "A cycle of {cycle_length} days"),
    _rule("cycle", {"cycle_variation": VARYING},                                              "irregular-cycles",                            "Your cycles vary by {cycle_variation} days"),
    _rule("cycle", {"no_shift_seen": ANY},                                                    "how-to-chart-your-cycle",                     "No temperature shift this cycle"),
    _rule("cycle", {"no_shift_seen": ANY},                                                    "irregular-cycles",                            "No temperature shift this cycle"),
    _rule("cycle", {"no_shift_seen": ANY, "lh_positive_days": ANY},                           "ovulation-predictor-kits",                    "Positive ovulation tests but no shift"),
    _rule("cycle", {"cycle_length": LONG_CYCLE},                                              "pcos-and-trying-to-conceive",                 "Long cycles: one possible reason"),
    _rule("cycle", {"lh_positive_days": MANY_LH_POSITIVES},                                   "ovulation-predictor-kits",                    "Positive ovulation tests on {lh_positive_days} days"),
    _rule("cycle", {"lh_positive_days": MANY_LH_POSITIVES},                                   "pcos-and-trying-to-conceive",                 "Many positive ovulation tests"),
    # Spotting around implantation; a lower temperature late in the luteal phase.
    _rule("day note", {"spotting": ANY, "days_past_insemination": IMPLANTATION_DPI},          "implantation-bleeding",                       "Spotting {days_past_insemination} days after insemination"),
    _rule("day",   {"spotting": ANY, "days_past_ovulation": IMPLANTATION_DPO},                "implantation-bleeding",                       "Spotting about {days_past_ovulation} days past ovulation"),
    _rule("day",   {"below_coverline": ANY, "days_past_ovulation": LATE_LUTEAL},              "luteal-phase",                                "A lower temperature {days_past_ovulation} days past ovulation"),
    _rule("day",   {"below_coverline": ANY, "days_past_ovulation": LATE_LUTEAL},              "coverline",                                   "Below your coverline"),
    # A pregnancy test.
    _rule("test",  {"positive": ANY, "recent_trigger": ANY},                                  "medicated-cycles-and-trigger-shots",          "A trigger shot can cause a positive"),
    _rule("test",  {"result": "faint"},                                                       "faint-lines-on-pregnancy-tests",              "A faint line"),
    _rule("test",  {"positive": ANY, "hcg_falling": False},                                  "positive-pregnancy-test-what-next",           "A positive test: what next"),
    _rule("test",  {"kind": "blood"},                                                         "hcg-levels",                                  "A blood hCG value"),
    _rule("test",  {"days_past": BEFORE_TEN},                                                 "when-to-take-a-pregnancy-test",               "Testing about {days_past} days past {days_past_what}"),
    _rule("test",  {"positive": False, "earlier_positive": False, "days_past": TEN_TO_FOURTEEN}, "when-to-take-a-pregnancy-test",            "Negative about {days_past} days past {days_past_what}"),
    _rule("test",  {"positive": False, "earlier_positive": False, "days_past": PERIOD_LATE},  "when-to-take-a-pregnancy-test",               "Negative {days_past} days past {days_past_what}"),
    _rule("test",  {"positive": False, "earlier_positive": False, "days_past": PERIOD_LATE},  "irregular-cycles",                            "A late period with negative tests"),
    _rule("test",  {"positive": ANY, "faint": False, "hcg_falling": False},                  "early-pregnancy-signs-and-first-appointments", "Early signs and first appointments"),
    # Timing an insemination.
    _rule("day",   {"pain": ANY, "ovulation_test": OVULATION_TEST_HIGH},                      "ovulation-pain-endometriosis-and-emergencies", "Pain around ovulation"),
    _rule("day",   {"pain": ANY, "days_past_ovulation": AROUND_OVULATION},                    "ovulation-pain-endometriosis-and-emergencies", "Pain around ovulation"),
    _rule("day",   {"ovulation_test": "peak"},                                                "when-to-inseminate",                          "A peak ovulation test"),
    _rule("day",   {"mucus_appearance": "egg_white"},                                         "when-to-inseminate",                          "Egg-white mucus"),
    _rule("day",   {"mucus_feeling": "slippery"},                                             "when-to-inseminate",                          "Slippery mucus"),
    # An insemination.
    _rule("insemination", {"trigger_mentioned": ANY},                                         "medicated-cycles-and-trigger-shots",          "You mentioned a trigger shot"),
    _rule("insemination", {"donor_kind": "known", "first_with_donor": ANY},                   "donor-screening-and-testing",                 "A first time with a known donor"),
    _rule("insemination", {"donor_kind": "known", "first_with_donor": ANY},                   "semen-analysis-for-a-known-donor",            "A known donor: a semen analysis"),
    _rule("insemination", {"donor_kind": "known", "first_with_donor": ANY},                   "legal-parenthood-with-a-donor",               "A known donor: who the legal parents are"),
    _rule("insemination", {"method": "iui"},                                                  "ici-vs-iui",                                  "IUI at a clinic"),
    _rule("insemination", {"sperm": "frozen", "method": NOT_AT_A_CLINIC},                     "thawing-frozen-sperm",                        "Frozen sperm"),
    _rule("insemination", {"method": AT_HOME},                                                "how-to-do-ici-at-home",                       "Insemination at home"),
    _rule("insemination", {"donor_kind": "known"},                                            "donor-screening-and-testing",                 "A known donor: screening and tests"),
    _rule("insemination", {"vials_left": range(0, 2)},                                        "buying-shipping-storing-donor-sperm",         "Few vials left in storage"),
    _rule("insemination", {"sperm": "fresh"},                                                 "fresh-vs-frozen-sperm",                       "Fresh sperm"),
    _rule("insemination", {"donor_kind": "known"},                                            "known-donor-or-bank-donor",                   "A known donor"),
    _rule("insemination", {"donor_kind": "bank"},                                             "donor-screening-and-testing",                 "A bank donor"),
    _rule("insemination", {"method": "other"},                                                "intercourse-timing-with-a-partner",           "Trying another way"),
    # The two-week wait, above the everyday charting rules (a temperature is logged most days).
    _rule("day",   {"days_past_insemination": TWO_WEEK_WAIT},                                 "two-week-wait",                               "You are in your two-week wait"),
    _rule("test",  {"positive": False, "earlier_positive": False},                            "two-week-wait",                               "A negative test"),
    _rule("test",  {"positive": False, "earlier_positive": False},                            "coping-with-the-two-week-wait",               "Waiting after a negative test"),
    _rule("day",   {"temperature": ANY, "days_past_ovulation": LUTEAL},                       "luteal-phase",                                "About {days_past_ovulation} days past ovulation"),
    # Charting, and what a whole chart shows.
    _rule("day",   {"temperature": ANY},                                                      "how-to-chart-your-cycle",                     "You logged a temperature"),
    _rule("day",   {"cervix": ANY},                                                           "how-to-find-your-cervix",                     "You checked your cervix"),
    _rule("day",   {"mucus": ANY},                                                            "cervical-mucus-types",                        "You noted your mucus"),
    _rule("day",   {"ovulation_test": ANY},                                                   "ovulation-predictor-kits",                    "An ovulation test"),
    _rule("note",  {"cramping": CRAMPED},                                                     "after-insemination-what-to-do",               "You noted cramping"),
    _rule("note",  {"lying_down_minutes": ANY},                                               "after-insemination-what-to-do",               "Resting afterwards"),
    _rule("cycle", {"shift_confirmed": ANY},                                                  "coverline",                                   "Your temperature shift and coverline"),
    _rule("cycle", {"shift_confirmed": ANY, "secondary_shift": ANY},                          "sympto-thermal-method",                       "Both signs read together"),
    _rule("cycle", {"coarse_temperatures": ANY},                                              "choosing-a-bbt-thermometer",                  "Temperatures to one decimal place"),
    _rule("cycle", {"first_cycle": ANY, "inseminations": False},                              "preparing-for-conception",                    "Your first cycle in the journal"),
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


FEVER_FROM_CENTI = 3800  # 38.0 °C: a fever, not a luteal rise
NO_SHIFT_AFTER_DAY = 35  # a running cycle with no shift by cycle day 35 is worth a look
ENOUGH_TEMPERATURES = 10  # fewer, and "no shift" only means "not enough readings"
ENOUGH_FOR_COARSENESS = 8
RECENT_LENGTHS = 6
TRIGGER_WORDS = ("trigger", "ovitrelle", "ovidrel", "pregnyl", "novarel", "hcg shot", "hcg injection")


def mentions_trigger(*texts: str | None) -> bool:
    """Whether free text mentions an hCG trigger shot (the journal has no field for one)."""
    words = " ".join(text.lower() for text in texts if text)
    return any(word in words for word in TRIGGER_WORDS)


def pregnancy_ended(tests: Iterable[tuple[bool, float | None]]) -> bool:
    """Whether tests in the order taken, each ``(positive, blood hCG or None)``, ended on
    evidence that a pregnancy is not going on: a negative test or a falling hCG after a
    positive one (a positive test after that counts as ongoing again)."""
    ended, seen_positive, previous_hcg = False, False, None
    for positive, hcg in tests:
        falling = hcg is not None and previous_hcg is not None and hcg < previous_hcg
        if hcg is not None:
            previous_hcg = hcg
        if seen_positive and (not positive or falling):
            ended = True
        elif positive:
            seen_positive, ended = True, False
    return ended


def day_facts(
    day: Any,
    *,
    days_past_insemination: int | None = None,
    days_past_ovulation: int | None = None,
    days_since_positive_test: int | None = None,
    tests_turned_negative: bool = False,
    coverline_c: float | None = None,
) -> dict[str, Any]:
    """Facts about a :class:`~webapp.journal.models.Day` (or anything with its attributes).

    ``days_since_positive_test`` counts from the latest positive test on or before the day;
    ``tests_turned_negative`` says a negative test or a falling hCG came after it. A positive
    test within six weeks with nothing since means the day is read as early pregnancy."""
    temperature = day.temperature_centi
    pregnant = (
        days_since_positive_test is not None
        and days_since_positive_test in EARLY_PREGNANCY
        and not tests_turned_negative
    )
    return {
        "bleeding": day.bleeding,
        "spotting": day.bleeding == "spotting",
        "pain": "cramps" in day.symptoms,
        "temperature": temperature is not None,
        "temperature_disturbed": day.temperature_disturbance is not None,
        "fever": (temperature is not None and temperature >= FEVER_FROM_CENTI)
        or day.temperature_disturbance == "illness",
        "below_coverline": temperature is not None
        and coverline_c is not None
        and temperature < round(coverline_c * 100),
        "mucus": day.mucus_feeling is not None or day.mucus_appearance is not None,
        "mucus_feeling": day.mucus_feeling,
        "mucus_appearance": day.mucus_appearance,
        "cervix": any((day.cervix_position, day.cervix_firmness, day.cervix_opening)),
        "ovulation_test": day.ovulation_test,
        "days_past_insemination": days_past_insemination,
        "days_past_ovulation": days_past_ovulation,
        "days_since_positive_test": days_since_positive_test,
        "pregnant": pregnant,
        "tests_turned_negative": tests_turned_negative
        and days_since_positive_test is not None
        and days_since_positive_test in EARLY_PREGNANCY,
    }


def insemination_facts(
    insemination: Any,
    donor_kind: str | None = None,
    *,
    first_with_donor: bool = False,
    vials_left: int | None = None,
) -> dict[str, Any]:
    """``first_with_donor``: no earlier insemination used this donor; ``vials_left``: the
    donor's vials in storage now (None when not counted)."""
    return {
        "method": insemination.method,
        "sperm": insemination.sperm,
        "donor_kind": donor_kind,
        "first_with_donor": first_with_donor,
        "vials_left": vials_left,
        "trigger_mentioned": mentions_trigger(insemination.note),
    }


def note_facts(note: Any, days_past_insemination: int | None = None) -> dict[str, Any]:
    return {
        "leakage": note.leakage,
        "cramping": note.cramping,
        "spotting": bool(note.spotting),
        "lying_down_minutes": note.lying_down_minutes,
        "days_past_insemination": days_past_insemination,
    }


HCG_HIGH = 1000  # mIU/mL: a fall from here is more than a chemical pregnancy (review §8.3)
HOURS_FOR_A_RISE = 24  # a rise over fewer hours says too little to extrapolate to 48


def hcg_rise_48h_pct(earlier: float | None, later: float | None, hours: float | None) -> int | None:
    """The rise of hCG over 48 hours, in whole per cent, from two values ``hours`` apart:
    0 for a level that stayed the same, None when it fell or cannot be judged."""
    if earlier is None or later is None or hours is None or earlier <= 0 or later < earlier:
        return None
    if hours < HOURS_FOR_A_RISE:
        return None
    return int(((later / earlier) ** (48 / hours) - 1) * 100)


def pregnancy_test_facts(
    test: Any,
    *,
    positive: bool,
    days_past: int | None = None,
    days_past_what: str = "insemination",
    days_since_positive_test: int | None = None,
    earlier_positive_result: str | None = None,
    hcg_falling: bool = False,
    previous_hcg: float | None = None,
    hours_since_previous: float | None = None,
    recent_trigger: bool = False,
) -> dict[str, Any]:
    """``days_past`` counts from ovulation or insemination (``days_past_what`` says which);
    ``days_since_positive_test`` counts from an *earlier* positive test, not this one, and
    ``earlier_positive_result`` is that test's result ("faint", "positive"; None for blood).
    ``previous_hcg`` is the blood test before this one, ``hours_since_previous`` before."""
    rise = None
    if test.kind == "blood" and positive:
        rise = hcg_rise_48h_pct(previous_hcg, test.hcg_miu, hours_since_previous)
    return {
        "kind": test.kind,
        "result": test.result,
        "faint": test.result == "faint",
        "positive": positive,
        "days_past": days_past,
        "days_past_what": days_past_what,
        "earlier_positive": days_since_positive_test is not None,
        "days_since_positive_test": days_since_positive_test,
        "earlier_positive_result": earlier_positive_result,
        "hcg_falling": hcg_falling,
        "hcg_falling_from_high": hcg_falling and previous_hcg is not None and previous_hcg >= HCG_HIGH,
        "hcg_rise_48h_pct": rise,
        "recent_trigger": recent_trigger or mentions_trigger(test.note),
    }


def outcome_facts(outcome: Any, *, losses: int = 0, insemination_cycles: int = 0) -> dict[str, Any]:
    """``losses``: the person's chemical pregnancies and losses recorded (this one included);
    ``insemination_cycles``: cycles with an insemination and no pregnancy, up to this one."""
    return {"outcome": outcome.outcome, "losses": losses, "insemination_cycles": insemination_cycles}


def cycle_facts(
    *,
    number: int,
    length: int | None,
    days_so_far: int,
    luteal_days: int | None,
    shift_confirmed: bool,
    secondary_shift: bool,
    temperatures: Iterable[int],
    lh_positive_days: int,
    recent_lengths: Iterable[int] = (),
    insemination_cycles: int = 0,
    inseminations: int = 0,
) -> dict[str, Any]:
    """Facts about a whole cycle: ``length`` when it is over, ``temperatures`` the readings
    the rules used (centi-°C), ``recent_lengths`` of the completed cycles up to this one."""
    readings = list(temperatures)
    lengths = list(recent_lengths)[-RECENT_LENGTHS:]
    over_or_long = length is not None or days_so_far >= NO_SHIFT_AFTER_DAY
    return {
        "first_cycle": number == 1,
        "cycle_length": length,
        "luteal_days": luteal_days,
        "shift_confirmed": shift_confirmed,
        "secondary_shift": secondary_shift,
        "no_shift_seen": not shift_confirmed and over_or_long and len(readings) >= ENOUGH_TEMPERATURES,
        "coarse_temperatures": len(readings) >= ENOUGH_FOR_COARSENESS
        and all(reading % 10 == 0 for reading in readings),
        "cycle_variation": max(lengths) - min(lengths) if len(lengths) >= 3 else None,
        "lh_positive_days": lh_positive_days,
        "insemination_cycles": insemination_cycles,
        "inseminations": inseminations,
    }
