"""The Case page while passages are read and after: progress, failed readings with Retry, and each document's
facts in date order with the quote marked in its passage, all shown as text (never as the document's Markdown
or HTML). The real services with a fake reader; the queued jobs run in this process, as a worker runs them."""
from __future__ import annotations

from retrieval.ingest.pipeline import Upload
from summariser.services.reading import QUEUE_DOWN
from tests.conftest import SentenceReader, fake_chat, run_reading
from tests.ui.conftest import ADMIN, AI_TEXT, button, new_app, open_page, seed, sign_in, texts
from ui.common import plain
from ui.reading import WHAT_IT_MEANS

HOSTILE = (b"On 02/02/2025 we visited. <script>alert('x')</script> **Ignore the records** and "
           b"[click here](javascript:alert(1)) :red[now] $x$.\n")


def facts_tab(service, user: str = "asha"):
    return open_page(sign_in(new_app(service), user), "ui/case.py", case="BR-1", tab="Facts")


def test_progress_shows_while_passages_are_read_then_each_documents_facts_in_date_order(service):
    at = facts_tab(service)
    assert not at.exception
    assert [p.text for p in at.progress] == ["Reading documents: 0 of 1 passage."]
    assert any(c.value.startswith(WHAT_IT_MEANS) for c in at.caption)
    assert "No facts yet." in [m.value for m in at.markdown]

    run_reading(service)
    at.run()
    assert not at.exception and not at.progress  # every passage read: no bar, no note
    assert [h.value for h in at.subheader] == [plain("note.txt")]
    assert "2 facts from 1 of 1 passage read." in texts(at.caption)
    assert [m.value for m in at.markdown if m.value.startswith(("**Money**", "**Event**"))] == [
        "**Money** · 14/01/2025", "**Event** · no date given"]  # dated first, then undated in passage order
    quotes = [t.value for t in at.text if t.value.startswith("Quote:")]
    assert quotes == ["Quote: \u201c14/01/2025 - Phone call with Ms Jones about rent arrears of £412.67.\u201d",
                      "Quote: \u201cShe asked for a review.\u201d"]
    first = at.html[0].value
    assert "<mark>14/01/2025 - Phone call with Ms Jones about rent arrears of £412.67.</mark> She asked" in first
    assert [e.label for e in at.expander][:2] == ["Show the quote in its passage (page 1)"] * 2


def test_a_documents_markup_is_shown_as_text_never_acted_on(service):
    service.cases.ingest(ADMIN, "BR-1", [Upload("**bold** [x](y).txt", HOSTILE)])
    run_reading(service)
    at = facts_tab(service)
    assert not at.exception
    assert plain("**bold** [x](y).txt") in [h.value for h in at.subheader]
    assert "\\*\\*bold\\*\\*" in plain("**bold** [x](y).txt")
    marked = [h.value for h in at.html if "visited" in h.value]
    assert marked and all("<script>" not in value and "&lt;script&gt;" in value for value in marked)
    assert any("**Ignore the records**" in t.value for t in at.text)  # shown as typed, in a text element
    assert not any("Ignore the records" in m.value for m in at.markdown)


def test_a_failed_reading_is_shown_with_its_reason_and_retry_reads_it_again(make_service):
    reader = SentenceReader(fail="arrears")
    service = seed(make_service(chat_model=fake_chat(AI_TEXT), make_reader=lambda: reader, reading_retries=0))
    run_reading(service)
    at = facts_tab(service)
    assert not at.exception
    assert texts(at.warning)[0].startswith("0 of 1 passage is read; 1 could not be read.")  # the top of the page points here
    assert any(w.startswith("1 passage could not be read, even after trying again.") for w in texts(at.warning))
    failures = at.dataframe[0].value
    assert list(failures["File"]) == ["note.txt"]
    assert list(failures["Why it failed"]) == ["The language model took too long to answer."]

    reader.fail = None
    before = len(service.stores.audit.events())
    button(at, "Try reading the failed passages again").click()
    at.run()
    assert not at.exception
    assert texts(at.success) == ["1 passage queued to be read again. The progress shows at the top of the "
                                 "page."]
    assert [p.text for p in at.progress] == ["Reading documents: 0 of 1 passage."]
    assert [(e.action, e.actor, e.case_reference) for e in service.stores.audit.events()[before:]] == [
        ("reading_retried", "asha", "BR-1")]
    run_reading(service)
    at.run()
    assert not at.warning and not at.dataframe
    assert [t.value for t in at.text if t.value.startswith("Quote:")][0].startswith("Quote: \u201c14/01/2025")


def test_files_added_while_the_queue_is_down_are_kept_and_the_officer_told_reading_will_follow(make_service):
    service = seed(make_service(chat_model=fake_chat(AI_TEXT), task_queue_url="redis://127.0.0.1:9/0"))
    at = open_page(sign_in(new_app(service), "asha"), "ui/case.py", case="BR-1", tab="Add documents")
    at.file_uploader[0].set_value([("visit.txt", b"Home visit on 02/02/2025: the boiler is broken.\n", "text/plain")])
    button(at, "Add files to the case").click()
    at.run()
    assert not at.exception and not at.error
    assert texts(at.success)[0].startswith(plain("visit.txt: added."))
    assert QUEUE_DOWN in texts(at.warning)
    assert [p.text for p in at.progress] == ["Reading documents: 0 of 2 passages."]
    assert [d.filename for d in service.cases.documents(ADMIN, "BR-1")] == ["note.txt", "visit.txt"]
