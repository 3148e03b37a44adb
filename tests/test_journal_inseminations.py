"""Inseminations and donors: what is logged, and the vials left going down as they are used."""

from datetime import time

import threading

from tests.journal_support import ago, article_links, journal, other_journal  # noqa: F401
from webapp.extensions import db
from webapp.journal import queries
from webapp.journal.models import Donor, Insemination


def get(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


def test_log_an_insemination_with_everything(app, journal):
    donor = journal.donor(vials_bought=6, vials_in_storage=4)
    insemination_id = journal.insemination(
        ago(1), time="21:15", method="ici", sperm="frozen", donor_id=donor, vials_used=1,
        vial_numbers="Lot 22-118", motile_count_millions="12.5", performed_by="My partner",
        location="At home", cost="120.50", note="Calm evening",
    )
    insemination = get(app, Insemination, insemination_id)
    assert insemination.time == time(21, 15)
    assert (insemination.method, insemination.sperm, insemination.donor_id) == ("ici", "frozen", donor)
    assert insemination.vial_numbers == "Lot 22-118"
    assert insemination.motile_count_millions == 12.5
    assert insemination.cost_cents == 12050
    page = journal.page(f"/journal/inseminations/{insemination_id}")
    assert "ICI at home" in page
    assert "DK-4471 (Nordic Cryobank), a sperm bank donor · 3 vials left" in page
    assert "12.5 million" in page and "120.50" in page and "Calm evening" in page
    listing = journal.page("/journal/inseminations/")
    assert f'href="/journal/inseminations/{insemination_id}"' in listing


def vials(app, journal, donor):
    """The donor's count from the ledger and the inseminations."""
    with app.app_context():
        return queries.vial_counts(journal.user_id)[donor]


def test_vials_left_go_down_and_come_back(app, journal):
    donor = journal.donor(vials_bought=5, vials_in_storage=5)
    first = journal.insemination(ago(3), sperm="frozen", donor_id=donor, vials_used=2)
    assert vials(app, journal, donor).left == 3
    journal.insemination(ago(2), sperm="frozen", donor_id=donor, vials_used=1)
    assert vials(app, journal, donor).left == 2
    # Changing the vials of the first moves the count by the difference.
    journal.post(
        f"/journal/inseminations/{first}/edit",
        {"date": ago(3).isoformat(), "method": "ici", "sperm": "frozen", "donor_id": str(donor), "vials_used": "1"},
    )
    assert vials(app, journal, donor).left == 3
    confirm = journal.page(f"/journal/inseminations/{first}/delete")
    assert "The 1 vial it used go back to donor DK-4471" in confirm
    journal.client.post(f"/journal/inseminations/{first}/delete")
    count = vials(app, journal, donor)
    assert (count.left, count.bought, count.used) == (4, 5, 1)
    assert "4 vials left" in journal.page("/journal/donors/")


def test_more_vials_than_in_storage_is_explained(app, journal):
    donor = journal.donor(vials_in_storage=1)
    response = journal.insemination(ago(1), expect=200, sperm="frozen", donor_id=donor, vials_used=2)
    assert "Your ledger shows 1 vial left from donor DK-4471, and this uses 2 vials" in response.get_data(as_text=True)
    assert journal.counts()["insemination"] == 0
    assert vials(app, journal, donor).left == 1


def test_an_edit_may_reuse_its_own_vials(app, journal):
    donor = journal.donor(vials_in_storage=2)
    insemination = journal.insemination(ago(1), sperm="frozen", donor_id=donor, vials_used=2)
    assert vials(app, journal, donor).left == 0
    journal.post(
        f"/journal/inseminations/{insemination}/edit",
        {"date": ago(1).isoformat(), "method": "iui", "sperm": "frozen", "donor_id": str(donor), "vials_used": "2"},
    )
    assert vials(app, journal, donor).left == 0
    assert get(app, Insemination, insemination).method == "iui"


def test_moving_an_insemination_to_another_donor(app, journal):
    first = journal.donor(code="A1", vials_in_storage=3)
    second = journal.donor(code="B2", vials_in_storage=3)
    insemination = journal.insemination(ago(1), sperm="frozen", donor_id=first, vials_used=1)
    journal.post(
        f"/journal/inseminations/{insemination}/edit",
        {"date": ago(1).isoformat(), "method": "ici", "sperm": "frozen", "donor_id": str(second), "vials_used": "2"},
    )
    assert vials(app, journal, first).left == 3
    assert vials(app, journal, second).left == 1


def test_uncounted_donors_are_left_alone(app, journal):
    donor = journal.donor(code="Sam", kind="known", bank="")
    journal.insemination(ago(1), sperm="frozen", donor_id=donor, vials_used=1)
    count = vials(app, journal, donor)
    assert not count.counted and count.used == 1
    assert "Vials not counted" in journal.page("/journal/donors/")


def test_the_ledger_gives_vials_and_money_per_cycle_and_in_all(app, journal):
    journal.period(ago(40), days=3)
    journal.period(ago(12), days=3)
    donor = journal.donor(code="Sam", kind="known", bank="")
    ledger = f"/journal/donors/{donor}/vials/new"
    journal.post(ledger, {"date": ago(38).isoformat(), "kind": "purchase", "vials": "4", "cost": "1200.00",
                          "bank": "Example Bank"})
    journal.post(ledger, {"date": ago(37).isoformat(), "kind": "shipment", "vials": "4", "cost": "150.00"})
    journal.post(ledger, {"date": ago(10).isoformat(), "kind": "storage", "cost": "50.00", "stored_at": "Home tank"})
    journal.post(ledger, {"date": ago(9).isoformat(), "kind": "correction", "vials": "-1", "note": "one broke"})
    journal.insemination(ago(30), sperm="frozen", donor_id=donor, vials_used=1)
    journal.insemination(ago(2), sperm="frozen", donor_id=donor, vials_used=1)
    count = vials(app, journal, donor)
    assert (count.bought, count.used, count.left, count.spent_cents) == (4, 2, 1, 140000)
    page = journal.page(f"/journal/donors/{donor}/vials")
    assert "1 vial left" in page and "1400.00" in page
    assert "Cycle 1, from" in page and "1 vial used · 1350.00 spent" in page
    assert "Cycle 2, from" in page and "1 vial used · 50.00 spent" in page
    assert "1400.00" in journal.page("/journal/donors/")
    # Only a correction takes vials away; a purchase needs vials.
    refused = journal.post(ledger, {"date": ago(1).isoformat(), "kind": "purchase", "vials": "0"}, expect=200)
    assert "Please enter how many vials you bought" in refused.get_data(as_text=True)


def test_two_inseminations_cannot_both_take_the_last_vial(app, journal):
    """Security finding 11: the donor row is locked before the count, so the second save
    waits for the first and then finds no vial left, instead of both succeeding."""
    donor = journal.donor(vials_in_storage=1)
    user_id = journal.user_id
    first_locked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def take_last_vial_slowly():
        with app.app_context():
            count = queries.lock_donor_and_count(user_id, donor)
            first_locked.set()
            release.wait(10)
            assert count is not None and count.left == 1
            db.session.add(Insemination(user_id=user_id, date=ago(1), method="ici", sperm="frozen",
                                        donor_id=donor, vials_used=1))
            db.session.commit()

    slow = threading.Thread(target=take_last_vial_slowly)
    slow.start()
    assert first_locked.wait(10)

    def second_save():
        outcome["response"] = journal.insemination(ago(1), expect=200, sperm="frozen", donor_id=donor, vials_used=1)

    second = threading.Thread(target=second_save)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second save did not wait for the first"
    release.set()
    slow.join(10)
    second.join(20)
    text = outcome["response"].get_data(as_text=True)  # type: ignore[attr-defined]
    assert "Your ledger shows 0 vials left from donor DK-4471" in text
    assert journal.counts()["insemination"] == 1
    assert vials(app, journal, donor).left == 0


def test_a_donor_in_use_is_kept(journal):
    donor = journal.donor()
    journal.insemination(ago(1), donor_id=donor)
    page = journal.page(f"/journal/donors/{donor}/delete")
    assert "is still in use" in page
    journal.client.post(f"/journal/donors/{donor}/delete")
    assert journal.counts()["donor"] == 1


def test_an_unused_donor_can_be_deleted_after_confirming(journal):
    donor = journal.donor()
    assert "Yes, delete it" in journal.page(f"/journal/donors/{donor}/delete")
    journal.client.post(f"/journal/donors/{donor}/delete")
    assert journal.counts()["donor"] == 0


def test_change_a_donor(app, journal):
    donor = journal.donor(vials_in_storage=2)
    form = journal.page(f"/journal/donors/{donor}/edit")
    assert 'value="DK-4471"' in form and "vial ledger" in form and 'name="vials_in_storage"' not in form
    journal.post(
        f"/journal/donors/{donor}/edit",
        {"kind": "bank", "code": "DK-4471", "bank": "Other Bank", "vials_in_storage": "6"},
    )
    assert get(app, Donor, donor).bank == "Other Bank"
    assert vials(app, journal, donor).left == 2  # the count changes only through the ledger


def test_the_donor_list_only_offers_your_own_donors(journal, other_journal):
    mine = journal.donor(code="MINE-1")
    theirs = other_journal.donor(code="THEIRS-1")
    form = journal.page("/journal/inseminations/new")
    assert "MINE-1" in form and "THEIRS-1" not in form
    response = journal.insemination(ago(1), expect=200, donor_id=theirs)
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert journal.counts()["insemination"] == 0
    assert mine != theirs


def test_deleting_an_insemination_deletes_its_notes(journal):
    insemination = journal.insemination(ago(1), time="09:00")
    journal.note(insemination, f"{ago(1).isoformat()}T10:00", leakage="a_little")
    confirm = journal.page(f"/journal/inseminations/{insemination}/delete")
    assert "Its 1 note will be deleted too." in confirm
    journal.client.post(f"/journal/inseminations/{insemination}/delete")
    assert journal.counts()["insemination_note"] == 0


def test_articles_beside_an_insemination(journal, library):
    frozen = journal.insemination(ago(2), sperm="frozen")
    assert article_links(journal.page(f"/journal/inseminations/{frozen}"))[:2] == [
        "thawing-frozen-sperm", "how-to-do-ici-at-home",
    ]
    fresh_iui = journal.insemination(ago(1), method="iui", sperm="fresh")
    assert article_links(journal.page(f"/journal/inseminations/{fresh_iui}")) == ["ici-vs-iui", "fresh-vs-frozen-sperm"]


def test_a_new_insemination_can_start_from_a_logged_day(journal):
    journal.log_day(ago(4), mucus_appearance="egg_white")
    form = journal.page(f"/journal/inseminations/new?day={journal.day_id(ago(4))}")
    assert f'value="{ago(4).isoformat()}"' in form
