"""The articles beside entries, through the real pages: facts the journal gathers from a
person's history (earlier tests, inseminations, cycles) reach the rules."""

from datetime import timedelta

from tests.journal_support import ago, article_links, journal  # noqa: F401


def day_page(journal, when):
    return journal.page(f"/journal/days/{journal.day_id(when)}")


def test_spotting_after_a_positive_test_is_met_calmly(journal, library):
    journal.test(ago(5), result="positive")
    journal.log_day(ago(1), bleeding="spotting", not_period="y")
    page = day_page(journal, ago(1))
    assert article_links(page)[:2] == ["implantation-bleeding", "early-pregnancy-signs-and-first-appointments"]
    assert "chemical-pregnancy" not in article_links(page)
    assert "Bleeding in early pregnancy: what to watch for" in page


def test_spotting_with_cramps_after_a_positive_test_points_to_help(journal, library):
    journal.test(ago(5), result="positive")
    journal.log_day(ago(1), bleeding="spotting", not_period="y", symptoms=["cramps"])
    assert article_links(day_page(journal, ago(1)))[0] == "early-miscarriage"


def test_bleeding_once_tests_turned_negative_is_a_chemical_pregnancy(journal, library):
    journal.test(ago(6), result="positive")
    journal.test(ago(3), result="negative")
    journal.log_day(ago(1), bleeding="medium")
    assert article_links(day_page(journal, ago(1)))[0] == "chemical-pregnancy"


def test_a_negative_test_the_day_after_a_faint_line(journal, library):
    journal.insemination(ago(13))
    journal.test(ago(2), result="faint")
    negative = journal.test(ago(1), result="negative", brand="A digital test")
    assert article_links(journal.page(f"/journal/tests/{negative}")) == [
        "faint-lines-on-pregnancy-tests", "when-to-take-a-pregnancy-test", "chemical-pregnancy",
    ]


def test_a_slow_hcg_rise(journal, library):
    journal.test(ago(4), kind="blood", hcg_miu="100", time="08:00")
    later = journal.test(ago(2), kind="blood", hcg_miu="130", time="08:00")
    page = journal.page(f"/journal/tests/{later}")
    assert article_links(page)[:2] == ["hcg-levels", "early-miscarriage"]
    assert "Your hCG rose more slowly than usual" in page


def test_a_positive_test_after_a_trigger_shot_named_in_a_note(journal, library):
    journal.insemination(ago(7), method="iui", note="Ovitrelle trigger the night before")
    positive = journal.test(ago(1), result="positive")
    assert article_links(journal.page(f"/journal/tests/{positive}"))[0] == "medicated-cycles-and-trigger-shots"


def test_a_fever_after_an_insemination(journal, library):
    journal.insemination(ago(3))
    journal.log_day(ago(1), temperature="38.3")
    page = day_page(journal, ago(1))
    assert article_links(page)[0] == "after-insemination-what-to-do"
    assert "A raised temperature after insemination" in page


def test_a_first_time_with_a_known_donor(journal, library):
    donor = journal.donor(code="Sam", kind="known", bank="")
    first = journal.insemination(ago(40), donor_id=donor, sperm="fresh")
    second = journal.insemination(ago(10), donor_id=donor, sperm="fresh")
    assert article_links(journal.page(f"/journal/inseminations/{first}")) == [
        "donor-screening-and-testing", "semen-analysis-for-a-known-donor", "legal-parenthood-with-a-donor",
    ]
    assert article_links(journal.page(f"/journal/inseminations/{second}")) == [
        "how-to-do-ici-at-home", "donor-screening-and-testing", "fresh-vs-frozen-sperm",
    ]


def test_six_insemination_cycles_without_a_pregnancy(journal, library):
    first = ago(7 * 28 + 3)
    starts = [journal.period(first + timedelta(days=28 * n), days=2) for n in range(7)]
    for n in range(6):
        journal.insemination(first + timedelta(days=28 * n + 13))
    journal.post(f"/journal/cycles/{starts[4]}/outcome", {"outcome": "not_pregnant"})
    assert "when-to-see-a-fertility-specialist" not in article_links(journal.page(f"/journal/cycles/{starts[4]}/outcome"))
    journal.post(f"/journal/cycles/{starts[5]}/outcome", {"outcome": "not_pregnant"})
    page = journal.page(f"/journal/cycles/{starts[5]}/outcome")
    links = article_links(page)
    assert links[0] == "when-to-see-a-fertility-specialist"
    assert "6 cycles of insemination without a pregnancy" in page
    assert not {"chemical-pregnancy", "early-miscarriage", "trying-again-after-loss"} & set(links)
    assert article_links(journal.page(f"/journal/cycles/{starts[5]}"))[0] == "when-to-see-a-fertility-specialist"


def test_a_long_first_cycle(journal, library):
    start = journal.period(ago(80), days=3)
    journal.period(ago(40), days=3)
    page = journal.page(f"/journal/cycles/{start}")
    assert article_links(page) == ["irregular-cycles", "pcos-and-trying-to-conceive", "preparing-for-conception"]
    assert "A cycle of 40 days" in page


def test_the_journal_home_links_the_glossary(journal, library):
    journal.log_day(ago(1), temperature="36.5")
    assert 'href="/articles/ttc-glossary"' in journal.page("/journal/")
