"""Pure: the rules table that picks library articles beside journal entries."""

from types import SimpleNamespace

import pytest

from webapp.articles.content import read_article_files
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.fertility.context_rules import (
    RULES,
    Rule,
    day_facts,
    insemination_facts,
    match_articles,
    match_many,
    note_facts,
    outcome_facts,
    pregnancy_test_facts,
)


def a_day(**fields):
    values = dict(
        bleeding=None, temperature_centi=None, temperature_disturbance=None,
        mucus_feeling=None, mucus_appearance=None, cervix_position=None,
        cervix_firmness=None, cervix_opening=None, ovulation_test=None,
    )
    values.update(fields)
    return SimpleNamespace(**values)


def a_note(**fields):
    values = dict(leakage=None, cramping=None, spotting=False, lying_down_minutes=None)
    values.update(fields)
    return SimpleNamespace(**values)


def a_test(kind="home", result="negative"):
    return SimpleNamespace(kind=kind, result=result)


def slugs(matches):
    return [slug for slug, _ in matches]


def test_every_rule_points_at_a_bundled_article_and_gives_a_short_reason():
    bundled = {article.slug for article in read_article_files(BUNDLED_ARTICLES)}
    for rule in RULES:
        assert rule.slug in bundled, rule.slug
        assert rule.entries <= {"day", "insemination", "note", "test", "outcome"}
        assert 0 < len(rule.reason.split()) <= 8, rule.reason
        assert rule.when, "a rule with no condition would match everything"


def test_leakage_after_an_insemination():
    for amount in ("a_little", "a_lot"):
        matches = match_articles("note", note_facts(a_note(leakage=amount), days_past_insemination=0))
        assert matches[0] == ("leakage-after-insemination", "You noted leakage")
    assert "leakage-after-insemination" not in slugs(match_articles("note", note_facts(a_note(leakage="none"))))


@pytest.mark.parametrize("days", [6, 9, 12])
def test_spotting_six_to_twelve_days_after_insemination(days):
    matches = match_articles("day", day_facts(a_day(bleeding="spotting"), days_past_insemination=days))
    assert matches[0] == ("implantation-bleeding", f"Spotting {days} days after insemination")


@pytest.mark.parametrize("days", [5, 13, None])
def test_spotting_outside_six_to_twelve_days_is_not_implantation(days):
    facts = day_facts(a_day(bleeding="spotting"), days_past_insemination=days, days_past_ovulation=days)
    assert "implantation-bleeding" not in slugs(match_articles("day", facts))


def test_spotting_six_to_twelve_days_past_ovulation():
    facts = day_facts(a_day(bleeding="spotting"), days_past_ovulation=8)
    assert match_articles("day", facts)[0] == ("implantation-bleeding", "Spotting 8 days past ovulation")


def test_heavier_bleeding_is_not_implantation_bleeding():
    facts = day_facts(a_day(bleeding="heavy"), days_past_insemination=8)
    assert "implantation-bleeding" not in slugs(match_articles("day", facts))


def test_spotting_in_a_note_after_insemination():
    facts = note_facts(a_note(spotting=True), days_past_insemination=7)
    assert "implantation-bleeding" in slugs(match_articles("note", facts))


def test_bleeding_after_a_positive_test_is_a_chemical_pregnancy():
    facts = day_facts(a_day(bleeding="medium"), days_since_positive_test=3)
    assert match_articles("day", facts)[0] == ("chemical-pregnancy", "Bleeding after a positive test")


def test_a_negative_test_after_a_positive_one_is_a_chemical_pregnancy():
    facts = pregnancy_test_facts(a_test(result="negative"), positive=False, days_since_positive_test=4)
    assert match_articles("test", facts)[0] == ("chemical-pregnancy", "A negative test after a positive one")


def test_falling_hcg_is_a_chemical_pregnancy():
    facts = pregnancy_test_facts(a_test("blood", None), positive=True, hcg_falling=True)
    assert slugs(match_articles("test", facts))[:2] == ["chemical-pregnancy", "hcg-levels"]


def test_a_positive_test_alone_is_not_a_chemical_pregnancy():
    facts = pregnancy_test_facts(a_test(result="positive"), positive=True, days_since_positive_test=2)
    assert "chemical-pregnancy" not in slugs(match_articles("test", facts))


def test_a_temperature_entry():
    assert match_articles("day", day_facts(a_day(temperature_centi=3645))) == [
        ("how-to-chart-your-cycle", "You logged a temperature")
    ]


def test_a_cervix_entry():
    assert match_articles("day", day_facts(a_day(cervix_position="high"))) == [
        ("how-to-find-your-cervix", "You checked your cervix")
    ]


def test_egg_white_mucus_or_a_peak_ovulation_test():
    egg_white = match_articles("day", day_facts(a_day(mucus_appearance="egg_white")))
    assert egg_white[0] == ("when-to-inseminate", "Egg-white mucus")
    peak = match_articles("day", day_facts(a_day(ovulation_test="peak")))
    assert peak[0] == ("when-to-inseminate", "A peak ovulation test")
    assert "ovulation-predictor-kits" in slugs(peak)
    negative = match_articles("day", day_facts(a_day(ovulation_test="negative")))
    assert slugs(negative) == ["ovulation-predictor-kits"]


def test_frozen_sperm():
    facts = insemination_facts(SimpleNamespace(method="ici", sperm="frozen"), donor_kind="bank")
    assert slugs(match_articles("insemination", facts)) == [
        "thawing-frozen-sperm", "how-to-do-ici-at-home", "donor-screening-and-testing",
    ]


def test_iui_and_a_known_donor():
    facts = insemination_facts(SimpleNamespace(method="iui", sperm="fresh"), donor_kind="known")
    assert slugs(match_articles("insemination", facts)) == [
        "ici-vs-iui", "fresh-vs-frozen-sperm", "known-donor-or-bank-donor",
    ]


def test_outcomes_are_met_gently():
    chemical = match_articles("outcome", outcome_facts(SimpleNamespace(outcome="chemical")))
    assert slugs(chemical) == ["chemical-pregnancy", "trying-again-after-loss"]
    loss = match_articles("outcome", outcome_facts(SimpleNamespace(outcome="loss")))
    assert slugs(loss) == ["early-miscarriage", "trying-again-after-loss"]
    assert match_articles("outcome", outcome_facts(SimpleNamespace(outcome="pregnancy"))) == []


def test_at_most_three_in_rule_order_and_no_slug_twice():
    busy = a_day(
        bleeding="spotting", temperature_centi=3650, mucus_feeling="slippery",
        mucus_appearance="egg_white", cervix_position="high", ovulation_test="peak",
    )
    matches = match_articles("day", day_facts(busy, days_past_insemination=8))
    assert slugs(matches) == ["implantation-bleeding", "when-to-inseminate", "how-to-chart-your-cycle"]
    assert len(set(slugs(matches))) == len(matches)
    assert len(match_articles("day", day_facts(busy), limit=10)) > 3


def test_an_entry_with_nothing_matching_gets_nothing():
    assert match_articles("day", day_facts(a_day())) == []
    assert match_articles("note", note_facts(a_note())) == []


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
        ("day", day_facts(a_day(temperature_centi=3650))),
        ("note", note_facts(a_note(leakage="a_little"))),
        ("day", day_facts(a_day(cervix_opening="open"))),
        ("day", day_facts(a_day(mucus_appearance="egg_white"))),
    ]
    assert slugs(match_many(entries)) == [
        "leakage-after-insemination", "when-to-inseminate", "how-to-chart-your-cycle",
    ]
    assert match_many([]) == []
