"""Drafting through the real service with the openai provider pointed at a real HTTP server on 127.0.0.1 that
records every request: with redaction on (`always`, since the server is on loopback), none of the case's
personal data reaches it, and the draft comes back with the real values. With `auto`, the same loopback
server is sent the data as it is (the exemption), which also shows the recording would catch a leak."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from tests.conftest import register, run_reading

ASHA = User("asha", "officer", "benefits")
REFERENCE = "BR-2025-0141"
PERSONAL = {  # what the case holds about Denise Harrowby, each of which must stay on this machine
    "name": "Denise Harrowby", "surname": "Harrowby", "nino": "QQ 17 69 03 D", "nhs": "943 476 5919",
    "dob": "22/07/1961", "street": "19 Wexford Street", "postcode": "KX1 5PB", "phone": "01632 960127",
    "email": "denise.harrowby@example.org", "other person": "Gareth Pryce", "reference": REFERENCE,
}
NOTE = (f"Case reference: {REFERENCE}\n"
        "14/01/2025 - Home visit to Mrs Denise Harrowby, date of birth 22/07/1961, at 19 Wexford Street, "
        "Kelderby KX1 5PB. National Insurance number: QQ 17 69 03 D. NHS number 943 476 5919.\n"
        "She can be reached on 01632 960127 or at denise.harrowby@example.org. Her neighbour Gareth Pryce was "
        "present. Rent arrears stood at £1,872.90 and Universal Credit is £1,240 per month.\n").encode()
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]*_\d+\b")


class StubOpenAI(BaseHTTPRequestHandler):
    """OpenAI's chat-completions API, as far as the drafting uses it: the answer repeats every placeholder the
    request held (so restoring them can be checked), streamed in 4-character pieces when asked to stream;
    a JSON-schema request gets one overview sentence citing the first fact id it may."""

    received: list[dict] = []

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append(body)
        prompt = "\n".join(m["content"] for m in body["messages"] if isinstance(m.get("content"), str))
        seen = list(dict.fromkeys(PLACEHOLDER.findall(prompt)))
        schema = (body.get("response_format") or {}).get("json_schema", {}).get("schema")
        if schema:
            fact_ids = schema["properties"]["sentences"]["items"]["properties"]["facts"]["items"]["enum"]
            text = json.dumps({"sentences": [{"text": "About " + ", ".join(seen), "facts": fact_ids[:1]}]})
        else:
            text = "## Background\n- " + " / ".join(seen) + " [1]."
        if body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for at in range(0, len(text), 4):
                self._event({"delta": {"role": "assistant", "content": text[at:at + 4]}, "finish_reason": None})
            self._event({"delta": {}, "finish_reason": "stop"})
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            reply = json.dumps({"id": "stub", "object": "chat.completion", "created": 0, "model": body["model"],
                                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                             "finish_reason": "stop"}],
                                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    def _event(self, choice: dict) -> None:
        chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                 "choices": [{"index": 0} | choice]}
        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.flush()


@pytest.fixture
def stub_server():
    handler = type("Handler", (StubOpenAI,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler.received
    server.shutdown()
    server.server_close()


def case_service(make_service, url: str, mode: str, draft_from: str = "passages"):
    service = make_service(llm_provider="openai", openai_base_url=url, openai_model="stub-model",
                           redact_personal_data=mode, llm_timeout_s=30, draft_from=draft_from)
    register(service, REFERENCE, "benefits", person="P-1001", name="Denise Harrowby")
    service.cases.ingest(ASHA, REFERENCE, [Upload("visit.txt", NOTE)])
    return service


def leaked(received: list[dict]) -> list[str]:
    sent = json.dumps(received, ensure_ascii=False)
    return [kind for kind, value in PERSONAL.items() if value in sent]


def test_a_draft_sends_no_personal_data_and_comes_back_with_it(make_service, stub_server):
    url, received = stub_server
    service = case_service(make_service, url, "always")
    tokens = []
    state = service.drafting.draft(ASHA, REFERENCE, on_token=tokens.append)
    assert state.status == "pending", state.drafted.data
    assert received and leaked(received) == []
    assert any("NINO_1" in json.dumps(body) for body in received)
    draft = state.current.text
    for kind in ("name", "nino", "nhs", "dob", "street", "postcode", "phone", "email", "other person"):
        assert PERSONAL[kind] in draft, kind
    assert not PLACEHOLDER.search(draft) and not PLACEHOLDER.search("".join(tokens))
    redaction = state.drafted.data.redaction
    assert redaction.ran and redaction.counts["PERSON"] >= 2 and redaction.counts["NINO"] == 1
    # The address is one placeholder, street, town and postcode together: "19 Wexford Street, Kelderby KX1 5PB".
    assert {"NHS_NUMBER", "DATE_OF_BIRTH", "ADDRESS", "PHONE", "EMAIL"} <= set(redaction.counts)
    assert redaction.counts["ADDRESS"] == 1 and "POSTCODE" not in redaction.counts
    recorded = service.supervision.audit_events(User("admin", "admin", "all"))
    assert not any(PLACEHOLDER.search(json.dumps(e.payload, default=str)) for e in recorded)


def test_a_composed_draft_redacts_the_facts_and_restores_the_structured_answer(make_service, stub_server):
    url, received = stub_server
    service = case_service(make_service, url, "always", draft_from="facts")
    run_reading(service)
    state = service.drafting.draft(ASHA, REFERENCE)
    assert state.status == "pending", state.drafted.data
    assert received and all(body.get("response_format") for body in received) and leaked(received) == []
    overview = state.drafted.data.composition["model_text"]
    assert overview.startswith("About ") and "Denise Harrowby" in overview and not PLACEHOLDER.search(overview)


def test_a_loopback_server_is_exempt_by_default(make_service, stub_server):
    url, received = stub_server
    service = case_service(make_service, url, "auto")
    state = service.drafting.draft(ASHA, REFERENCE)
    assert state.status == "pending", state.drafted.data
    assert "nino" in leaked(received) and "name" in leaked(received)
    assert state.drafted.data.redaction.ran is False
