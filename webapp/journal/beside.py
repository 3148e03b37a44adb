"""Library articles beside journal entries: facts from the owner's history, the rules of
:mod:`webapp.fertility.context_rules`, and, where no rule matches, the entry's own words searched in the
public index. All on the server, per request, for the signed-in owner only: nothing is cached
across people, and the words never reach a URL or a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from ..articles.queries import ArticleLink, article_links_by_ids, articles_by_slugs
from ..search import get_index
from . import queries
from ..fertility import context_rules as context
from .history import ovulation_by, ovulation_estimate_by
from .models import Day, Insemination, InseminationNote, PregnancyTest
from ..fertility.predictions import days_past, doubling_time_hours

log = logging.getLogger(__name__)

WORDS_REASON = "Related to what you wrote"


@dataclass(frozen=True)
class BesideArticle:
    article: ArticleLink  # .slug and .title
    reason: str


def articles_for(matches: list[tuple[str, str]], text: str | None = None) -> list[BesideArticle]:
    """The articles for rule matches; with none, up to three found by the entry's words."""
    found = articles_by_slugs([slug for slug, _ in matches])
    chosen = [BesideArticle(found[slug], reason) for slug, reason in matches if slug in found]
    if chosen or not (text and text.strip()):
        return chosen
    return related_by_words(text)


def related_by_words(text: str, limit: int = context.MAX_ARTICLES) -> list[BesideArticle]:
    try:
        page = get_index().search(text, page=1, per_page=limit)
    except Exception as exc:  # never let the library break a journal page; never log the words
        log.warning("Searching for articles beside a journal entry failed (%s)", type(exc).__name__)
        return []
    return [BesideArticle(link, WORDS_REASON) for link in article_links_by_ids(page.ids)]


def _text(*parts: str | None) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


# --------------------------------------------------------------------------- history facts


def ovulation_near(user_id: int, when: date, secondary_symptom: str) -> date | None:
    """The likely ovulation of the cycle ``when`` falls in, on or before ``when``: the same
    answer the day and test pages show (:func:`~webapp.journal.history.ovulation_by`)."""
    return ovulation_by(user_id, secondary_symptom, when, queries.cycle_spans(user_id))


def days_since(reference: date | None, when: date) -> int | None:
    return None if reference is None else days_past(reference, when)


def day_articles(day: Day, user) -> list[BesideArticle]:
    insemination = queries.latest_insemination(user.id, day.date)
    ovulation = ovulation_near(user.id, day.date, user.secondary_symptom)
    positive = queries.latest_positive_test(user.id, day.date)
    facts = context.day_facts(
        day,
        days_past_insemination=days_since(insemination.date if insemination else None, day.date),
        days_past_ovulation=days_since(ovulation, day.date),
        days_since_positive_test=days_since(positive.date if positive else None, day.date),
    )
    return articles_for(context.match_articles(context.DAY, facts), _text(day.note, day.mood))


def insemination_articles(insemination: Insemination) -> list[BesideArticle]:
    donor_kind = insemination.donor.kind if insemination.donor else None
    facts = context.insemination_facts(insemination, donor_kind=donor_kind)
    return articles_for(context.match_articles(context.INSEMINATION, facts), insemination.note)


def note_articles(note: InseminationNote, insemination: Insemination) -> list[BesideArticle]:
    facts = context.note_facts(
        note, days_past_insemination=days_since(insemination.date, note.noted_at.date())
    )
    return articles_for(
        context.match_articles(context.NOTE, facts), _text(note.feelings, note.note)
    )


@dataclass(frozen=True)
class Reading:
    """What a test means in context: days past, an earlier positive, the doubling time."""

    days_past: int | None
    days_past_what: str
    previous_blood: PregnancyTest | None
    doubling_hours: float | None
    falling: bool
    earlier_positive: PregnancyTest | None


def read_test(test: PregnancyTest, user) -> Reading:
    ovulation = ovulation_estimate_by(user.id, user.secondary_symptom, test.date, queries.cycle_spans(user.id))
    insemination = queries.latest_insemination(user.id, test.date)
    if ovulation is not None:  # on or before the test
        past, what = days_past(ovulation.date, test.date), ovulation.label
    elif insemination is not None:
        past, what = days_past(insemination.date, test.date), "insemination"
    else:
        past, what = None, "insemination"
    previous = queries.previous_blood_test(user.id, test) if test.kind == "blood" else None
    doubling, falling = None, False
    if previous is not None and previous.hcg_miu is not None and test.hcg_miu is not None:
        doubling = doubling_time_hours(previous.hcg_miu, previous.taken_at, test.hcg_miu, test.taken_at)
        falling = test.hcg_miu < previous.hcg_miu
    earlier_positive = queries.latest_positive_test(user.id, test.date, excluding_id=test.id)
    if earlier_positive is not None and (earlier_positive.date, earlier_positive.id) > (test.date, test.id):
        earlier_positive = None
    return Reading(past, what, previous, doubling, falling, earlier_positive)


def pregnancy_test_articles(test: PregnancyTest, reading: Reading) -> list[BesideArticle]:
    positive_before = reading.earlier_positive
    facts = context.pregnancy_test_facts(
        test,
        positive=test.is_positive,
        days_past=reading.days_past,
        days_past_what=reading.days_past_what,
        days_since_positive_test=days_since(positive_before.date if positive_before else None, test.date),
        hcg_falling=reading.falling,
    )
    return articles_for(context.match_articles(context.TEST, facts), test.note)


def outcome_articles(outcome) -> list[BesideArticle]:
    return articles_for(context.match_articles(context.OUTCOME, context.outcome_facts(outcome)), outcome.note)


def cycle_articles(bundle: queries.CycleBundle, ovulation: date | None) -> list[BesideArticle]:
    """The best three across a whole cycle's entries, rules only (no searches per row)."""
    entries = []
    inseminations = sorted(bundle.inseminations, key=lambda i: i.date)
    for day in bundle.days:
        before = [i for i in inseminations if i.date <= day.date]
        entries.append(
            (
                context.DAY,
                context.day_facts(
                    day,
                    days_past_insemination=days_since(before[-1].date if before else None, day.date),
                    days_past_ovulation=days_since(ovulation, day.date),
                ),
            )
        )
    for insemination in inseminations:
        donor_kind = insemination.donor.kind if insemination.donor else None
        entries.append((context.INSEMINATION, context.insemination_facts(insemination, donor_kind)))
        for note in insemination.notes:
            facts = context.note_facts(note, days_since(insemination.date, note.noted_at.date()))
            entries.append((context.NOTE, facts))
    if bundle.outcome is not None:
        entries.append((context.OUTCOME, context.outcome_facts(bundle.outcome)))
    return articles_for(context.match_many(entries))
