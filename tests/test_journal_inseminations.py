"""Inseminations and donors: what is logged, and the vials left going down as they are used."""

from datetime import time

from tests.journal_support import ago, article_links, journal, other_journal  # noqa: F401
from webapp.extensions import db
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


def test_vials_left_go_down_and_come_back(app, journal):
    donor = journal.donor(vials_bought=5, vials_in_storage=5)
    first = journal.insemination(ago(3), sperm="frozen", donor_id=donor, vials_used=2)
    assert get(app, Donor, donor).vials_in_storage == 3
    journal.insemination(ago(2), sperm="frozen", donor_id=donor, vials_used=1)
    assert get(app, Donor, donor).vials_in_storage == 2
    # Changing the vials of the first moves the count by the difference.
    journal.post(
        f"/journal/inseminations/{first}/edit",
        {"date": ago(3).isoformat(), "method": "ici", "sperm": "frozen", "donor_id": str(donor), "vials_used": "1"},
    )
    assert get(app, Donor, donor).vials_in_storage == 3
    confirm = journal.page(f"/journal/inseminations/{first}/delete")
    assert "The 1 vial it used go back to donor DK-4471" in confirm
    journal.client.post(f"/journal/inseminations/{first}/delete")
    assert get(app, Donor, donor).vials_in_storage == 4
    assert "4 vials left" in journal.page("/journal/donors/")


def test_more_vials_than_in_storage_is_explained(app, journal):
    donor = journal.donor(vials_in_storage=1)
    response = journal.insemination(ago(1), expect=200, sperm="frozen", donor_id=donor, vials_used=2)
    assert "Your records show 1 vial left from donor DK-4471" in response.get_data(as_text=True)
    assert journal.counts()["insemination"] == 0
    assert get(app, Donor, donor).vials_in_storage == 1


def test_an_edit_may_reuse_its_own_vials(app, journal):
    donor = journal.donor(vials_in_storage=2)
    insemination = journal.insemination(ago(1), sperm="frozen", donor_id=donor, vials_used=2)
    assert get(app, Donor, donor).vials_in_storage == 0
    journal.post(
        f"/journal/inseminations/{insemination}/edit",
        {"date": ago(1).isoformat(), "method": "iui", "sperm": "frozen", "donor_id": str(donor), "vials_used": "2"},
    )
    assert get(app, Donor, donor).vials_in_storage == 0
    assert get(app, Insemination, insemination).method == "iui"


def test_moving_an_insemination_to_another_donor(app, journal):
    first = journal.donor(code="A1", vials_in_storage=3)
    second = journal.donor(code="B2", vials_in_storage=3)
    insemination = journal.insemination(ago(1), sperm="frozen", donor_id=first, vials_used=1)
    journal.post(
        f"/journal/inseminations/{insemination}/edit",
        {"date": ago(1).isoformat(), "method": "ici", "sperm": "frozen", "donor_id": str(second), "vials_used": "2"},
    )
    assert get(app, Donor, first).vials_in_storage == 3
    assert get(app, Donor, second).vials_in_storage == 1


def test_uncounted_donors_are_left_alone(app, journal):
    donor = journal.donor(code="Sam", kind="known", bank="")
    journal.insemination(ago(1), sperm="frozen", donor_id=donor, vials_used=1)
    assert get(app, Donor, donor).vials_in_storage is None


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
    assert 'value="DK-4471"' in form and 'value="2"' in form
    journal.post(
        f"/journal/donors/{donor}/edit",
        {"kind": "bank", "code": "DK-4471", "bank": "Nordic Cryobank", "vials_in_storage": "6", "vials_bought": "8"},
    )
    assert get(app, Donor, donor).vials_in_storage == 6


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
