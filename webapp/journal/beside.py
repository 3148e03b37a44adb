"""Library articles beside journal entries: facts from the owner's history, the rules of
:mod:`webapp.fertility.context_rules`, and, where no rule matches, the entry's own words searched in the
public index. All on the server, per request, for the signed-in owner only: nothing is cached
across people, and the words never reach a URL or a log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from ..articles.queries import ArticleLink, article_links_by_ids, articles_by_slugs
from ..search import get_index
from . import queries
from ..fertility import context_rules as context
from ..fertility.cycles import CycleSpan, cycle_containing
from ..fertility.reading import CycleReading
from .history import History, ovulation_by, ovulation_estimate_by, remembered
from .models import CycleOutcome, Day, Insemination, InseminationNote, PregnancyTest
from ..fertility.medication import may_be_trigger
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

TRIGGER_LOOKBACK_DAYS = 14  # an hCG trigger can show on a test for up to about two weeks


def reading_near(user_id: int, when: date, secondary_symptom: str, spans: list[CycleSpan]) -> CycleReading | None:
    """The reading of the cycle ``when`` falls in (as its chart reads it), or None before the first."""
    span = cycle_containing(spans, when)
    if span is None:
        return None
    return History.load(user_id, secondary_symptom, spans, first=span, last=span).alone(span)


def ovulation_near(
    user_id: int, when: date, secondary_symptom: str, spans: list[CycleSpan] | None = None,
    reading: CycleReading | None = None,
) -> date | None:
    """The likely ovulation of the cycle ``when`` falls in, on or before ``when``: the same
    answer the day and test pages show (:func:`~webapp.journal.history.ovulation_by`)."""
    spans = queries.cycle_spans(user_id) if spans is None else spans
    return ovulation_by(user_id, secondary_symptom, when, spans, reading)


def days_since(reference: date | None, when: date) -> int | None:
    return None if reference is None else days_past(reference, when)


def tests_turned_negative(user_id: int, positive: PregnancyTest | None, until: date) -> bool:
    """Whether, after the positive test ``positive``, a later test up to ``until`` was
    negative or showed hCG falling (a later positive counts again as ongoing)."""
    if positive is None:
        return False
    tests = queries.tests_between(user_id, positive.date - timedelta(days=context.EARLY_PREGNANCY.stop), until)
    return context.pregnancy_ended([(test.is_positive, test.hcg_miu if test.kind == "blood" else None) for test in tests])


def day_articles(day: Day, user) -> list[BesideArticle]:
    spans = queries.cycle_spans(user.id)
    reading = reading_near(user.id, day.date, user.secondary_symptom, spans)
    insemination = queries.latest_insemination(user.id, day.date)
    ovulation = ovulation_near(user.id, day.date, user.secondary_symptom, spans, reading)
    positive = queries.latest_positive_test(user.id, day.date)
    facts = context.day_facts(
        day,
        days_past_insemination=days_since(insemination.date if insemination else None, day.date),
        days_past_ovulation=days_since(ovulation, day.date),
        days_since_positive_test=days_since(positive.date if positive else None, day.date),
        tests_turned_negative=tests_turned_negative(user.id, positive, day.date),
        coverline_c=reading.coverline_c if reading is not None and ovulation is not None else None,
    )
    return articles_for(context.match_articles(context.DAY, facts), _text(day.note, day.mood))


def insemination_articles(insemination: Insemination) -> list[BesideArticle]:
    donor = insemination.donor
    count = queries.vial_counts(insemination.user_id).get(donor.id) if donor else None
    facts = context.insemination_facts(
        insemination,
        donor_kind=donor.kind if donor else None,
        first_with_donor=donor is not None and not queries.used_donor_before(insemination.user_id, insemination),
        vials_left=count.left if count is not None and count.counted else None,
    )
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
    hours_since_previous: float | None = None
    recent_trigger: bool = False


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
    doubling, falling, hours = None, False, None
    if previous is not None and previous.hcg_miu is not None and test.hcg_miu is not None:
        doubling = doubling_time_hours(previous.hcg_miu, previous.taken_at, test.hcg_miu, test.taken_at)
        falling = test.hcg_miu < previous.hcg_miu
        hours = (test.taken_at - previous.taken_at).total_seconds() / 3600
    earlier_positive = queries.latest_positive_test(user.id, test.date, excluding_id=test.id)
    if earlier_positive is not None and (earlier_positive.date, earlier_positive.id) > (test.date, test.id):
        earlier_positive = None
    recent = queries.inseminations_between(user.id, test.date - timedelta(days=TRIGGER_LOOKBACK_DAYS), test.date)
    # A logged trigger shot whose window covers the test, or one mentioned in a note.
    shots = queries.trigger_shots(user.id, test.date - timedelta(days=TRIGGER_LOOKBACK_DAYS), test.date)
    trigger = may_be_trigger(test.date, shots) is not None or any(context.mentions_trigger(i.note) for i in recent)
    return Reading(past, what, previous, doubling, falling, earlier_positive, hours, trigger)


def pregnancy_test_articles(test: PregnancyTest, reading: Reading) -> list[BesideArticle]:
    positive_before = reading.earlier_positive
    facts = context.pregnancy_test_facts(
        test,
        positive=test.is_positive,
        days_past=reading.days_past,
        days_past_what=reading.days_past_what,
        days_since_positive_test=days_since(positive_before.date if positive_before else None, test.date),
        earlier_positive_result=positive_before.result if positive_before else None,
        hcg_falling=reading.falling,
        previous_hcg=reading.previous_blood.hcg_miu if reading.previous_blood else None,
        hours_since_previous=reading.hours_since_previous,
        recent_trigger=reading.recent_trigger,
    )
    return articles_for(context.match_articles(context.TEST, facts), test.note)


def outcome_articles(outcome: CycleOutcome) -> list[BesideArticle]:
    spans = queries.cycle_spans(outcome.user_id)
    span = cycle_containing(spans, outcome.cycle_start)
    cycles = 0 if span is None else queries.insemination_cycles_without_pregnancy(outcome.user_id, spans, span)
    facts = context.outcome_facts(
        outcome, losses=queries.loss_count(outcome.user_id), insemination_cycles=cycles
    )
    return articles_for(context.match_articles(context.OUTCOME, facts), outcome.note)


def cycle_articles(
    user_id: int, spans: list[CycleSpan], bundle: queries.CycleBundle, reading: CycleReading
) -> list[BesideArticle]:
    """The best three across a whole cycle and its entries, rules only (no searches per row).
    ``reading`` is the cycle's own (its ovulation the one its page shows). The rules' matches
    are kept with the journal's revision (the articles themselves are looked up each time)."""
    key = ("cycle article matches", bundle.cycle, bundle.last_day, reading.symptom)
    return articles_for(remembered(user_id, key, lambda: _cycle_matches(user_id, spans, bundle, reading)))


def _cycle_matches(
    user_id: int, spans: list[CycleSpan], bundle: queries.CycleBundle, reading: CycleReading
) -> list[tuple[str, str]]:
    span = bundle.cycle
    ovulation = reading.ovulation
    entries = [
        (
            context.CYCLE,
            context.cycle_facts(
                number=span.number,
                length=span.length,
                days_so_far=(bundle.last_day - span.start).days + 1,
                luteal_days=reading.luteal_length,
                shift_confirmed=reading.shift is not None,
                secondary_shift=reading.secondary is not None,
                temperatures=[
                    day.temperature_centi for day in bundle.days
                    if day.temperature_centi is not None and day.temperature_disturbance is None
                ],
                lh_positive_days=sum(1 for day in bundle.days if day.ovulation_test == "peak"),
                recent_lengths=[s.length for s in spans[: span.number] if s.length is not None],
                insemination_cycles=queries.insemination_cycles_without_pregnancy(user_id, spans, span),
                inseminations=len(bundle.inseminations),
            ),
        )
    ]
    inseminations = sorted(bundle.inseminations, key=lambda i: i.date)
    for day in bundle.days:
        before = [i for i in inseminations if i.date <= day.date]
        entries.append(
            (
                context.DAY,
                context.day_facts(
                    day,
                    days_past_insemination=days_since(before[-1].date if before else None, day.date),
                    days_past_ovulation=days_since(ovulation, day.date) if ovulation and ovulation <= day.date else None,
                    coverline_c=reading.coverline_c,
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
    return context.match_many(entries)
