"""Pure: the rules table that picks library articles beside journal entries.

One table of situations below, each with the articles expected beside it, in order: a test per
row. The situations come from the content review (docs/audits/content-review.md §1.6, §8).
"""

from types import SimpleNamespace

import pytest

from webapp.articles.content import read_article_files
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.fertility.context_rules import (
    RULES,
    Rule,
    cycle_facts,
    day_facts,
    hcg_rise_48h_pct,
    insemination_facts,
    match_articles,
    match_many,
    mentions_trigger,
    note_facts,
    outcome_facts,
    pregnancy_ended,
    pregnancy_test_facts,
)

LOSS_ARTICLES = {"chemical-pregnancy", "early-miscarriage", "trying-again-after-loss", "repeated-pregnancy-loss"}


def a_day(symptoms=(), **fields):
    values = dict(
        bleeding=None, temperature_centi=None, temperature_disturbance=None,
        mucus_feeling=None, mucus_appearance=None, cervix_position=None,
        cervix_firmness=None, cervix_opening=None, ovulation_test=None,
    )
    values.update(fields)
    return SimpleNamespace(symptoms=list(symptoms), **values)


def a_note(**fields):
    values = dict(leakage=None, cramping=None, spotting=False, lying_down_minutes=None)
    values.update(fields)
    return SimpleNamespace(**values)


def a_test(kind="home", result="negative", hcg_miu=None, note=None):
    return SimpleNamespace(kind=kind, result=result, hcg_miu=hcg_miu, note=note)


def an_insemination(method="ici", sperm=None, note=None):
    return SimpleNamespace(method=method, sperm=sperm, note=note)


def day(symptoms=(), days_past_insemination=None, days_past_ovulation=None,
        days_since_positive_test=None, tests_turned_negative=False, coverline_c=None, **fields):
    return "day", day_facts(
        a_day(symptoms, **fields),
        days_past_insemination=days_past_insemination,
        days_past_ovulation=days_past_ovulation,
        days_since_positive_test=days_since_positive_test,
        tests_turned_negative=tests_turned_negative,
        coverline_c=coverline_c,
    )


def note(days_past_insemination=0, **fields):
    return "note", note_facts(a_note(**fields), days_past_insemination=days_past_insemination)


def pregnancy_test(kind="home", result="negative", hcg_miu=None, note=None, positive=None, **facts):
    if positive is None:
        positive = result in ("faint", "positive") if kind == "home" else (hcg_miu or 0) >= 5
    return "test", pregnancy_test_facts(a_test(kind, result, hcg_miu, note), positive=positive, **facts)


def insemination(method="ici", sperm=None, note=None, donor_kind=None, **facts):
    return "insemination", insemination_facts(an_insemination(method, sperm, note), donor_kind, **facts)


def outcome(value, **facts):
    return "outcome", outcome_facts(SimpleNamespace(outcome=value), **facts)


def cycle(**facts):
    values = dict(number=3, length=28, days_so_far=28, luteal_days=14, shift_confirmed=True,
                  secondary_shift=False, temperatures=[3630 + n for n in range(20)], lh_positive_days=1)
    values.update(facts)
    return "cycle", cycle_facts(**values)


# (situation, entry and its facts, the articles expected, in order)
SITUATIONS = [
    # Bleeding while a recent positive test stands: never a loss by default.
    ("heavy bleeding after a positive test", day(bleeding="heavy", days_since_positive_test=30),
     ["early-miscarriage"]),
    ("medium bleeding after a positive test", day(bleeding="medium", days_since_positive_test=3),
     ["early-miscarriage"]),
    ("spotting with cramps after a positive test", day(["cramps"], bleeding="spotting", days_since_positive_test=5),
     ["early-miscarriage", "implantation-bleeding", "early-pregnancy-signs-and-first-appointments"]),
    ("spotting after a positive test", day(bleeding="spotting", days_since_positive_test=5),
     ["implantation-bleeding", "early-pregnancy-signs-and-first-appointments"]),
    ("light bleeding after a positive test, 10 days after insemination",
     day(bleeding="light", days_since_positive_test=2, days_past_insemination=10),
     ["implantation-bleeding", "early-pregnancy-signs-and-first-appointments", "two-week-wait"]),
    ("bleeding once tests turned negative", day(bleeding="medium", days_since_positive_test=6, tests_turned_negative=True),
     ["chemical-pregnancy"]),
    ("bleeding seven weeks after a positive test is a period again", day(bleeding="medium", days_since_positive_test=50),
     []),
    # The week after an insemination.
    ("a fever 3 days after an insemination", day(temperature_centi=3820, days_past_insemination=3),
     ["after-insemination-what-to-do", "two-week-wait", "how-to-chart-your-cycle"]),
    ("an illness-disturbed temperature 1 day after", day(temperature_centi=3700, temperature_disturbance="illness", days_past_insemination=1),
     ["after-insemination-what-to-do", "two-week-wait", "how-to-chart-your-cycle"]),
    ("a fever 10 days after is not the insemination's", day(temperature_centi=3820, days_past_insemination=10),
     ["two-week-wait", "how-to-chart-your-cycle"]),
    ("37.9 °C is not a fever", day(temperature_centi=3790, days_past_insemination=2),
     ["two-week-wait", "how-to-chart-your-cycle"]),
    ("spotting 1 day after an insemination", day(bleeding="spotting", days_past_insemination=1),
     ["leakage-after-insemination", "after-insemination-what-to-do", "two-week-wait"]),
    ("spotting in a note the day of an insemination", note(spotting=True),
     ["leakage-after-insemination", "after-insemination-what-to-do"]),
    ("leakage", note(leakage="a_little"), ["leakage-after-insemination"]),
    ("a lot of leakage and cramping", note(leakage="a_lot", cramping="mild"),
     ["leakage-after-insemination", "after-insemination-what-to-do"]),
    ("strong cramping", note(cramping="strong"),
     ["after-insemination-what-to-do", "ovulation-pain-endometriosis-and-emergencies"]),
    ("resting afterwards", note(lying_down_minutes=15), ["after-insemination-what-to-do"]),
    # Implantation and the luteal phase.
    ("spotting 8 days after an insemination", day(bleeding="spotting", days_past_insemination=8),
     ["implantation-bleeding", "two-week-wait"]),
    ("spotting 14 days after an insemination", day(bleeding="spotting", days_past_insemination=14),
     ["implantation-bleeding", "two-week-wait"]),
    ("spotting 5 days after an insemination", day(bleeding="spotting", days_past_insemination=5), ["two-week-wait"]),
    ("spotting 8 days past ovulation", day(bleeding="spotting", days_past_ovulation=8), ["implantation-bleeding"]),
    ("spotting 13 days past ovulation", day(bleeding="spotting", days_past_ovulation=13), []),
    ("spotting in a note 7 days after", note(spotting=True, days_past_insemination=7), ["implantation-bleeding"]),
    ("heavier bleeding 8 days after is not implantation", day(bleeding="heavy", days_past_insemination=8), ["two-week-wait"]),
    ("a lower temperature 10 days past ovulation", day(temperature_centi=3640, days_past_ovulation=10, coverline_c=36.65),
     ["luteal-phase", "coverline", "how-to-chart-your-cycle"]),
    ("a high temperature 10 days past ovulation", day(temperature_centi=3690, days_past_ovulation=10, coverline_c=36.65),
     ["luteal-phase", "how-to-chart-your-cycle"]),
    ("a temperature in the two-week wait", day(temperature_centi=3680, days_past_insemination=6),
     ["two-week-wait", "how-to-chart-your-cycle"]),
    # Pregnancy tests.
    ("a positive test", pregnancy_test(result="positive", days_past=12, days_past_what="ovulation"),
     ["positive-pregnancy-test-what-next", "early-pregnancy-signs-and-first-appointments"]),
    ("an early positive test", pregnancy_test(result="positive", days_past=9, days_past_what="ovulation"),
     ["positive-pregnancy-test-what-next", "when-to-take-a-pregnancy-test", "early-pregnancy-signs-and-first-appointments"]),
    ("a faint line", pregnancy_test(result="faint", days_past=11),
     ["faint-lines-on-pregnancy-tests", "positive-pregnancy-test-what-next"]),
    ("a positive blood test", pregnancy_test("blood", None, hcg_miu=120),
     ["positive-pregnancy-test-what-next", "hcg-levels", "early-pregnancy-signs-and-first-appointments"]),
    ("a positive test after a trigger shot", pregnancy_test(result="positive", days_past=8, recent_trigger=True),
     ["medicated-cycles-and-trigger-shots", "positive-pregnancy-test-what-next", "when-to-take-a-pregnancy-test"]),
    ("a negative test 8 days past ovulation", pregnancy_test(days_past=8, days_past_what="ovulation"),
     ["when-to-take-a-pregnancy-test", "two-week-wait", "coping-with-the-two-week-wait"]),
    ("a negative test 12 days past ovulation", pregnancy_test(days_past=12, days_past_what="ovulation"),
     ["when-to-take-a-pregnancy-test", "two-week-wait", "coping-with-the-two-week-wait"]),
    ("a negative test 15 days past ovulation", pregnancy_test(days_past=15, days_past_what="ovulation"),
     ["two-week-wait", "coping-with-the-two-week-wait"]),
    ("a negative test 18 days past ovulation: a late period", pregnancy_test(days_past=18, days_past_what="ovulation"),
     ["when-to-take-a-pregnancy-test", "irregular-cycles", "two-week-wait"]),
    ("a negative (digital) test a day after a faint line",
     pregnancy_test(days_past=12, days_since_positive_test=1, earlier_positive_result="faint"),
     ["faint-lines-on-pregnancy-tests", "when-to-take-a-pregnancy-test", "chemical-pregnancy"]),
    ("a negative test a week after a faint line",
     pregnancy_test(days_past=18, days_since_positive_test=7, earlier_positive_result="faint"),
     ["faint-lines-on-pregnancy-tests", "when-to-take-a-pregnancy-test", "chemical-pregnancy"]),
    ("a negative test 2 days after a clear positive",
     pregnancy_test(days_past=13, days_since_positive_test=2, earlier_positive_result="positive"),
     ["faint-lines-on-pregnancy-tests", "when-to-take-a-pregnancy-test", "chemical-pregnancy"]),
    ("a negative test after a positive and a trigger shot",
     pregnancy_test(days_past=13, days_since_positive_test=5, earlier_positive_result="positive", recent_trigger=True),
     ["faint-lines-on-pregnancy-tests", "medicated-cycles-and-trigger-shots", "chemical-pregnancy"]),
    ("a negative test a week after a clear positive",
     pregnancy_test(days_past=19, days_since_positive_test=7, earlier_positive_result="positive"),
     ["chemical-pregnancy"]),
    ("hCG falling", pregnancy_test("blood", None, hcg_miu=40, hcg_falling=True, previous_hcg=90, hours_since_previous=48),
     ["chemical-pregnancy", "hcg-levels"]),
    ("hCG falling from over 1,000", pregnancy_test("blood", None, hcg_miu=800, hcg_falling=True, previous_hcg=1500, hours_since_previous=48),
     ["chemical-pregnancy", "hcg-levels", "early-miscarriage"]),
    ("hCG rising slowly", pregnancy_test("blood", None, hcg_miu=150, previous_hcg=100, hours_since_previous=48),
     ["hcg-levels", "early-miscarriage", "positive-pregnancy-test-what-next"]),
    ("hCG staying level", pregnancy_test("blood", None, hcg_miu=100, previous_hcg=100, hours_since_previous=48),
     ["hcg-levels", "early-miscarriage", "positive-pregnancy-test-what-next"]),
    ("hCG doubling", pregnancy_test("blood", None, hcg_miu=210, previous_hcg=100, hours_since_previous=48),
     ["positive-pregnancy-test-what-next", "hcg-levels", "early-pregnancy-signs-and-first-appointments"]),
    # Timing and charting.
    ("a peak ovulation test", day(ovulation_test="peak"), ["when-to-inseminate", "ovulation-predictor-kits"]),
    ("cramps with a peak ovulation test", day(["cramps"], ovulation_test="peak"),
     ["ovulation-pain-endometriosis-and-emergencies", "when-to-inseminate", "ovulation-predictor-kits"]),
    ("cramps the day after ovulation", day(["cramps"], days_past_ovulation=1), ["ovulation-pain-endometriosis-and-emergencies"]),
    ("egg-white mucus", day(mucus_appearance="egg_white"), ["when-to-inseminate", "cervical-mucus-types"]),
    ("slippery mucus", day(mucus_feeling="slippery"), ["when-to-inseminate", "cervical-mucus-types"]),
    ("a negative ovulation test", day(ovulation_test="negative"), ["ovulation-predictor-kits"]),
    ("a temperature", day(temperature_centi=3645), ["how-to-chart-your-cycle"]),
    ("a cervix check", day(cervix_position="high"), ["how-to-find-your-cervix"]),
    ("nothing logged", day(), []),
    # Inseminations.
    ("frozen sperm from a bank donor at home", insemination("ici", "frozen", donor_kind="bank"),
     ["thawing-frozen-sperm", "how-to-do-ici-at-home", "donor-screening-and-testing"]),
    ("IUI with frozen sperm: the clinic thaws", insemination("iui", "frozen", donor_kind="bank"),
     ["ici-vs-iui", "donor-screening-and-testing"]),
    ("IVI at home", insemination("ivi", "fresh"), ["how-to-do-ici-at-home", "fresh-vs-frozen-sperm"]),
    ("a known donor, fresh, at home", insemination("ici", "fresh", donor_kind="known"),
     ["how-to-do-ici-at-home", "donor-screening-and-testing", "fresh-vs-frozen-sperm"]),
    ("a first time with a known donor", insemination("ici", "fresh", donor_kind="known", first_with_donor=True),
     ["donor-screening-and-testing", "semen-analysis-for-a-known-donor", "legal-parenthood-with-a-donor"]),
    ("IUI with a known donor", insemination("iui", "fresh", donor_kind="known"),
     ["ici-vs-iui", "donor-screening-and-testing", "fresh-vs-frozen-sperm"]),
    ("the last vial of a bank donor", insemination("iui", "frozen", donor_kind="bank", vials_left=1),
     ["ici-vs-iui", "buying-shipping-storing-donor-sperm", "donor-screening-and-testing"]),
    ("a trigger shot mentioned", insemination("iui", "frozen", note="Ovitrelle trigger on Monday night"),
     ["medicated-cycles-and-trigger-shots", "ici-vs-iui"]),
    ("another way", insemination("other"), ["intercourse-timing-with-a-partner"]),
    # How a cycle ended.
    ("a chemical pregnancy", outcome("chemical", losses=1), ["chemical-pregnancy", "trying-again-after-loss"]),
    ("a loss", outcome("loss", losses=1), ["early-miscarriage", "trying-again-after-loss"]),
    ("a second loss", outcome("loss", losses=2), ["early-miscarriage", "repeated-pregnancy-loss", "trying-again-after-loss"]),
    ("a pregnancy", outcome("pregnancy"), ["positive-pregnancy-test-what-next", "early-pregnancy-signs-and-first-appointments"]),
    ("trying again next cycle", outcome("not_pregnant", insemination_cycles=1),
     ["coping-with-the-two-week-wait", "when-to-inseminate"]),
    ("trying again after four cycles", outcome("not_pregnant", insemination_cycles=4),
     ["coping-with-the-two-week-wait", "when-to-inseminate", "trying-to-conceive-after-35"]),
    ("six insemination cycles without a pregnancy", outcome("not_pregnant", insemination_cycles=6),
     ["when-to-see-a-fertility-specialist", "coping-with-the-two-week-wait", "when-to-inseminate"]),
    # A whole cycle.
    ("a typical cycle", cycle(), ["coverline"]),
    ("a short luteal phase", cycle(luteal_days=9), ["luteal-phase", "progesterone-and-pdg-tests", "coverline"]),
    ("a luteal phase of 11 days", cycle(luteal_days=11), ["coverline"]),
    ("a long cycle", cycle(length=41, luteal_days=13), ["irregular-cycles", "pcos-and-trying-to-conceive", "coverline"]),
    ("cycles varying by 12 days", cycle(recent_lengths=[26, 38, 29, 31]), ["irregular-cycles", "coverline"]),
    ("cycles varying by 5 days", cycle(recent_lengths=[26, 31, 29]), ["coverline"]),
    ("no temperature shift in a completed cycle", cycle(shift_confirmed=False, luteal_days=None),
     ["how-to-chart-your-cycle", "irregular-cycles", "ovulation-predictor-kits"]),
    ("no shift by cycle day 36 of a running cycle", cycle(length=None, days_so_far=36, shift_confirmed=False, luteal_days=None, lh_positive_days=0),
     ["how-to-chart-your-cycle", "irregular-cycles"]),
    ("no shift yet on cycle day 20", cycle(length=None, days_so_far=20, shift_confirmed=False, luteal_days=None), []),
    ("no shift with only a few temperatures", cycle(shift_confirmed=False, luteal_days=None, temperatures=[3650] * 5), []),
    ("positive ovulation tests on five days", cycle(lh_positive_days=5),
     ["ovulation-predictor-kits", "pcos-and-trying-to-conceive", "coverline"]),
    ("six insemination cycles, on the cycle page", cycle(insemination_cycles=6, inseminations=1),
     ["when-to-see-a-fertility-specialist", "coverline"]),
    ("both signs read together", cycle(secondary_shift=True), ["coverline", "sympto-thermal-method"]),
    ("temperatures to one decimal place", cycle(temperatures=[3640, 3650, 3660, 3650, 3640, 3700, 3710, 3700]),
     ["coverline", "choosing-a-bbt-thermometer"]),
    ("a first cycle in the journal", cycle(number=1), ["coverline", "preparing-for-conception"]),
    ("a first cycle with an insemination", cycle(number=1, inseminations=1), ["coverline"]),
]


@pytest.mark.parametrize(("entry", "expected"), [row[1:] for row in SITUATIONS], ids=[row[0] for row in SITUATIONS])
def test_situation(entry, expected):
    kind, facts = entry
    assert [slug for slug, _ in match_articles(kind, facts)] == expected


def slugs(matches):
    return [slug for slug, _ in matches]


def test_every_rule_points_at_a_bundled_article_and_gives_a_short_reason():
    bundled = {article.slug for article in read_article_files(BUNDLED_ARTICLES)}
    for rule in RULES:
        assert rule.slug in bundled, rule.slug
        assert rule.entries <= {"day", "insemination", "note", "test", "outcome", "cycle"}
        assert 0 < len(rule.reason.split()) <= 8, rule.reason
        assert rule.when, "a rule with no condition would match everything"


def test_an_ongoing_pregnancy_never_brings_up_a_chemical_pregnancy():
    for bleeding in ("spotting", "light", "medium", "heavy"):
        for days in (0, 3, 20, 42):
            for symptoms in ((), ("cramps",)):
                kind, facts = day(symptoms, bleeding=bleeding, days_since_positive_test=days, days_past_insemination=days + 10)
                assert "chemical-pregnancy" not in slugs(match_articles(kind, facts, limit=20)), (bleeding, days)


def test_trying_again_next_cycle_never_brings_up_pregnancy_loss():
    for cycles in range(0, 13):
        kind, facts = outcome("not_pregnant", insemination_cycles=cycles, losses=cycles)
        assert not LOSS_ARTICLES & set(slugs(match_articles(kind, facts, limit=20))), cycles


def test_heavy_bleeding_in_pregnancy_points_to_when_to_get_help():
    kind, facts = day(bleeding="heavy", days_since_positive_test=30)
    assert match_articles(kind, facts)[0] == ("early-miscarriage", "Heavier bleeding in pregnancy: when to get help")


def test_reasons_name_the_days_and_say_about_for_an_estimate():
    assert match_articles(*day(bleeding="spotting", days_past_ovulation=8))[0][1] == "Spotting about 8 days past ovulation"
    assert match_articles(*day(bleeding="spotting", days_past_insemination=9))[0][1] == "Spotting 9 days after insemination"
    first = match_articles(*pregnancy_test(days_past=12, days_past_what="ovulation"))[0]
    assert first == ("when-to-take-a-pregnancy-test", "Negative about 12 days past ovulation")
    assert match_articles(*cycle(luteal_days=9))[0][1] == "A luteal phase of 9 days"
    assert match_articles(*outcome("not_pregnant", insemination_cycles=7))[0][1] == "7 cycles of insemination without a pregnancy"


def test_hcg_rise_over_48_hours():
    assert hcg_rise_48h_pct(100, 200, 48) == 100
    assert hcg_rise_48h_pct(100, 100, 48) == 0
    assert hcg_rise_48h_pct(100, 150, 24) == 125  # 1.5 a day is 2.25 over two days
    assert hcg_rise_48h_pct(100, 90, 48) is None  # a fall is its own fact
    assert hcg_rise_48h_pct(100, 150, 6) is None  # too short a gap to judge
    assert hcg_rise_48h_pct(None, 150, 48) is None
    assert hcg_rise_48h_pct(100, 150, None) is None


def test_pregnancy_ended_reads_tests_in_order():
    assert pregnancy_ended([]) is False
    assert pregnancy_ended([(False, None)]) is False  # nothing positive yet
    assert pregnancy_ended([(True, None), (False, None)]) is True
    assert pregnancy_ended([(True, None), (False, None), (True, None)]) is False  # a positive again
    assert pregnancy_ended([(True, 100.0), (True, 80.0)]) is True  # hCG falling
    assert pregnancy_ended([(True, 100.0), (True, 180.0)]) is False
    assert pregnancy_ended([(True, 100.0), (True, None), (True, 90.0)]) is True


def test_a_trigger_shot_named_in_free_text():
    assert mentions_trigger("Ovidrel trigger at 9pm")
    assert mentions_trigger(None, "had my hCG shot")
    assert not mentions_trigger("felt fine", None)
    kind, facts = pregnancy_test(result="positive", note="Pregnyl 5 days ago", days_past=6)
    assert slugs(match_articles(kind, facts))[0] == "medicated-cycles-and-trigger-shots"


def test_at_most_three_in_rule_order_and_no_slug_twice():
    busy = a_day(
        bleeding="spotting", temperature_centi=3650, mucus_feeling="slippery",
        mucus_appearance="egg_white", cervix_position="high", ovulation_test="peak",
    )
    matches = match_articles("day", day_facts(busy, days_past_insemination=8))
    assert slugs(matches) == ["implantation-bleeding", "when-to-inseminate", "two-week-wait"]
    assert len(set(slugs(matches))) == len(matches)
    assert len(match_articles("day", day_facts(busy), limit=10)) > 3


def test_rules_only_apply_to_their_own_kind_of_entry():
    facts = {"leakage": "a_lot"}
    assert match_articles("day", facts) == []
    assert slugs(match_articles("note", facts)) == ["leakage-after-insemination"]


def test_conditions_are_data():
    rules = [
        Rule(frozenset({"day"}), {"n": range(2, 4)}, "a", "range {n}"),
        Rule(frozenset({"day"}), {"word": frozenset({"x", "y"})}, "b", "set"),
        Rule(frozenset({"day"}), {"flag": False}, "c", "falsy"),
        Rule(frozenset({"day"}), {"exact": 5}, "d", "equal"),
    ]
    assert slugs(match_articles("day", {"n": 3, "word": "y", "exact": 5}, rules, limit=4)) == ["a", "b", "c", "d"]
    assert match_articles("day", {"n": 3}, rules)[0] == ("a", "range 3")
    assert slugs(match_articles("day", {"n": 4, "word": "z", "flag": 1, "exact": 6}, rules)) == []
    assert slugs(match_articles("day", {"n": True}, rules)) == ["c"]  # a bool is not a day count
    assert match_articles("day", {}, [Rule(frozenset({"day"}), {"n": True}, "e", "{missing}")]) == []


def test_match_many_ranks_across_entries_by_rule_order():
    entries = [
        day(temperature_centi=3650),
        note(leakage="a_little"),
        day(cervix_opening="open"),
        day(mucus_appearance="egg_white"),
        cycle(luteal_days=8),
    ]
    assert slugs(match_many(entries)) == [
        "leakage-after-insemination", "luteal-phase", "progesterone-and-pdg-tests",
    ]
    assert slugs(match_many(entries[:4])) == [
        "leakage-after-insemination", "when-to-inseminate", "how-to-chart-your-cycle",
    ]
    assert match_many([]) == []


# Articles a journal page links on its own (the template names it), not through a rule.
JOURNAL_PAGE_LINKS = {
    "ttc-glossary": "journal/home.html",
    "when-to-take-a-pregnancy-test": "journal/tests.html",
    "how-to-find-your-cervix": "journal/day_form.html",
}


def test_every_article_is_reached_from_a_rule_or_a_journal_page():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    for slug, template in JOURNAL_PAGE_LINKS.items():
        assert f"slug='{slug}'" in (templates / template).read_text(), (slug, template)
    reached_by = {slug: [template] for slug, template in JOURNAL_PAGE_LINKS.items()}
    for rule in RULES:
        reached_by.setdefault(rule.slug, []).append(f"rule: {' '.join(sorted(rule.entries))}, {rule.reason}")
    bundled = {article.slug for article in read_article_files(BUNDLED_ARTICLES)}
    assert sorted(bundled - reached_by.keys()) == []
