"""Notes after an insemination: any number, each timestamped, shown as a timeline."""

import re
from datetime import datetime

from tests.journal_support import ago, article_links, is_checked, journal  # noqa: F401
from webapp.extensions import db
from webapp.journal.models import InseminationNote


def test_notes_show_as_a_timeline(app, journal):
    insemination = journal.insemination(ago(3), time="20:00")
    day = ago(3).isoformat()
    later = journal.note(
        insemination, f"{ago(0).isoformat()}T09:00", cramping="mild", spotting=True,
        feelings="Nervous but hopeful", note="Some cramps this morning",
    )
    first = journal.note(
        insemination, f"{day}T20:20", leakage="a_little", lying_down_minutes=20, orgasm=True,
    )
    second = journal.note(insemination, f"{day}T22:05", leakage="none")
    page = journal.page(f"/journal/inseminations/{insemination}")
    whens = re.findall(r'<h3 class="timeline-when"[^>]*>([^<]*)<', page)
    assert [w.strip() for w in whens] == ["20 minutes after", "2 hours after", "3 days after"]
    for note_id in (first, second, later):
        assert f'id="note-{note_id}"' in page
    assert "20 minutes" in page and "Orgasm" in page
    assert "Nervous but hopeful" in page and "Some cramps this morning" in page
    with app.app_context():
        note = db.session.get(InseminationNote, first)
        assert note.noted_at == datetime.fromisoformat(f"{day}T20:20")
        assert note.user_id == journal.user_id


def test_without_a_time_the_timeline_counts_days(journal):
    insemination = journal.insemination(ago(2))
    journal.note(insemination, f"{ago(2).isoformat()}T23:00", leakage="a_lot")
    journal.note(insemination, f"{ago(1).isoformat()}T08:00", cramping="strong")
    page = journal.page(f"/journal/inseminations/{insemination}")
    whens = [w.strip() for w in re.findall(r'<h3 class="timeline-when"[^>]*>([^<]*)<', page)]
    assert whens == ["The same day", "1 day after"]


def test_change_and_delete_a_note(app, journal):
    insemination = journal.insemination(ago(1), time="08:00")
    note = journal.note(insemination, f"{ago(1).isoformat()}T09:00", leakage="a_lot", note="first words")
    form = journal.page(f"/journal/notes/{note}/edit")
    assert is_checked(form, "leakage", "a_lot")
    assert f'value="{ago(1).isoformat()}T09:00"' in form
    journal.post(
        f"/journal/notes/{note}/edit",
        {"noted_at": f"{ago(1).isoformat()}T09:30", "leakage": "a_little", "note": "second words"},
    )
    with app.app_context():
        stored = db.session.get(InseminationNote, note)
        assert (stored.leakage, stored.note, stored.noted_at.minute) == ("a_little", "second words", 30)
    assert "Delete this note?" in journal.page(f"/journal/notes/{note}/delete")
    assert journal.counts()["insemination_note"] == 1
    response = journal.client.post(f"/journal/notes/{note}/delete")
    assert response.headers["Location"] == f"/journal/inseminations/{insemination}"
    assert journal.counts()["insemination_note"] == 0


def test_the_note_form_starts_at_a_sensible_time(journal):
    old = journal.insemination(ago(30), time="07:45")
    form = journal.page(f"/journal/inseminations/{old}/notes/new")
    assert f'value="{ago(30).isoformat()}T07:45"' in form
    assert 'type="datetime-local"' in form


def test_articles_beside_each_note(journal, library):
    insemination = journal.insemination(ago(9), time="20:00")
    leak = journal.note(insemination, f"{ago(9).isoformat()}T20:30", leakage="a_lot")
    spot = journal.note(insemination, f"{ago(1).isoformat()}T08:00", spotting=True)
    words = journal.note(insemination, f"{ago(0).isoformat()}T08:00", note="Started taking folic acid and vitamins today")
    page = journal.page(f"/journal/inseminations/{insemination}")
    rails = dict(re.findall(r'<aside class="context-rail" aria-labelledby="rail-note-(\d+) note-when-\d+">(.*?)</aside>', page, re.S))
    assert article_links(f'<aside class="context-rail">{rails[str(leak)]}</aside>') == ["leakage-after-insemination"]
    assert "You noted leakage" in rails[str(leak)]
    assert article_links(f'<aside class="context-rail">{rails[str(spot)]}</aside>')[0] == "implantation-bleeding"
    assert "Spotting 8 days after insemination" in rails[str(spot)]
    assert article_links(f'<aside class="context-rail">{rails[str(words)]}</aside>')[0] == "preparing-for-conception"


def test_changing_a_note_another_tab_just_deleted_is_a_404_not_a_500(app, journal, monkeypatch):
    """Found by the wapiti run: edit and delete of one note racing in two tabs (StaleDataError)."""
    from sqlalchemy import delete

    from webapp.extensions import db
    from webapp.journal.models import InseminationNote
    from webapp.journal.views import notes as note_views

    insemination_id = journal.insemination(ago(2))
    note_id = journal.note(insemination_id, f"{ago(2).isoformat()}T21:00", note="first words")
    real_owned = note_views.owned_note

    def owned_then_deleted(note_id):
        found = real_owned(note_id)
        # The other tab's delete commits between this tab's read and its save.
        with db.engine.begin() as connection:
            connection.execute(delete(InseminationNote).where(InseminationNote.id == note_id))
        return found

    monkeypatch.setattr(note_views, "owned_note", owned_then_deleted)
    response = journal.client.post(
        f"/journal/notes/{note_id}/edit", data={"noted_at": f"{ago(2).isoformat()}T21:00", "note": "changed"}
    )
    assert response.status_code == 404
    assert "This entry was deleted" in response.get_data(as_text=True)
