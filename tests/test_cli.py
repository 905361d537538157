"""The command line end to end: seed the demo, ingest a folder, draft with a real small model, decide, verify."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import cli
from summariser.drafting.model_files import bundled_smollm


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASEWORK_LLM_MODEL_PATH", str(bundled_smollm()))
    monkeypatch.setenv("CASEWORK_LLM_CONTEXT_TOKENS", "4096")
    monkeypatch.setenv("CASEWORK_LLM_MAX_OUTPUT_TOKENS", "200")
    runner = CliRunner()

    def run(*args: str, obj=None, input=None) -> tuple[int, str, str]:
        result = runner.invoke(cli.cli, ["--user", "test.admin", *args], obj=obj, input=input)
        return result.exit_code, result.stdout, result.stderr
    return run


@pytest.mark.model
def test_the_cli_covers_the_whole_core(run, tmp_path):
    code, out, _ = run("seed-demo")
    assert code == 0 and "Loaded the demo caseload: 14 cases." in out and "casework-demo" in out
    code, out, _ = run("seed-demo")
    assert code == 0 and "was not loaded again" in out

    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "call.txt").write_text("02/02/2026 - Phone call: Ms Harrowby asked about her payment date.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\ntruncated")
    code, out, err = run("ingest", "BR-2025-0141", str(folder))
    assert code == 3  # one file was refused, and said so
    assert re.search(r"added\s+call\.txt", out) and re.search(r"refused\s+scan\.pdf: .+", out)
    assert "Adding to BR-2025-0141" in err  # the progress bar

    code, out, err = run("draft", "BR-2025-0141")
    assert code == 0 and "[Writing the summary]" in err
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run("pending")
    assert draft_id in out
    code, out, _ = run("reject", draft_id, "--reason", "Too short to be useful")
    assert code == 0 and "is now rejected" in out
    code, out, err = run("approve", draft_id)
    assert code == 2 and "already rejected" in err

    # a second draft, taken all the way: every unsupported sentence answered, approved, exported, anchored
    code, out, _ = run("draft", "BR-2025-0141")
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run("show", draft_id)
    assert code == 0 and re.search(r"Grounding: \d+ of \d+ sentence\(s\) supported", out)
    for sentence_id in dict.fromkeys(re.findall(r"NOT SUPPORTED ([0-9a-f]{12})", out)):
        code, out, err = run("accept", draft_id, sentence_id, "--reason", "Checked against the file.")
        assert code == 0 and out.startswith("Accepted: "), err
    code, out, err = run("approve", draft_id)
    assert code == 0 and "is now approved" in out, err
    code, out, _ = run("versions", draft_id)
    assert out.startswith("version 1: AI draft by test.admin")
    code, out, err = run("evidence", draft_id, "--out-dir", str(tmp_path / "packs"))
    assert code == 0 and (tmp_path / "packs" / f"evidence-{draft_id[:8]}.html").exists()
    code, out, _ = run("head")
    anchor = out.splitlines()[0]
    code, out, _ = run("verify", "--against", anchor)
    assert code == 0 and "intact" in out and "nothing up to it was changed" in out


def test_unknown_case_is_a_plain_error(run):
    code, _, err = run("draft", "NO-SUCH-CASE")
    assert code == 2 and "There is no case with reference NO-SUCH-CASE." in err


def test_an_unexpected_failure_gives_an_incident_id_not_a_traceback(run):
    def broken(settings):
        raise RuntimeError("the disk is on fire")
    code, out, err = run("cases", obj=cli.Session(build=broken))
    assert code == 1 and re.search(r"Something went wrong \(incident [0-9a-f]{8}\)", err)
    assert "on fire" not in out + err.splitlines()[-1]


def test_add_user_reads_the_password_and_the_account_can_sign_in(run, make_service):
    services = make_service()
    session = cli.Session(build=lambda settings: services)
    code, out, err = run("add-user", "morgan", "--full-name", "Morgan Lee", "--role", "supervisor",
                         "--team", "benefits", obj=session, input="a long password\n")
    assert code == 0 and "Saved account morgan (supervisor, team benefits)." in out, err
    assert services.accounts.sign_in("morgan", "a long password").role == "supervisor"
    assert [e.actor for e in services.stores.audit.events(actions=("account_saved",))] == ["test.admin"]
    code, _, err = run("add-user", "x", "--full-name", "X", "--role", "chief", "--team", "t", obj=session,
                       input="a long password\n")
    assert code == 2 and "'chief' is not one of" in err


# reading passages into facts ----------------------------------------------------------------------------------
VISIT = b"Home visit on 02/02/2025: the boiler is broken. The tenant asked for a repair.\n"


def test_reading_shows_progress_waits_with_a_bar_and_failed_passages_can_be_retried(run, make_service):
    import threading

    from retrieval.ingest.pipeline import Upload
    from tests.conftest import ADMIN_FIELDS, SentenceReader, register, run_reading
    from retrieval.records.access import User
    reader = SentenceReader(fail="boiler")
    services = make_service(make_reader=lambda: reader, reading_retries=0)
    register(services, "BR-1", "benefits")
    services.cases.ingest(User(**ADMIN_FIELDS), "BR-1", [Upload("visit.txt", VISIT)])
    session = cli.Session(build=lambda settings: services, poll_s=0.05)

    code, out, _ = run("reading", "BR-1", obj=session)
    assert code == 0 and out.splitlines() == ["Case BR-1: Reading documents: 0 of 1 passage.", "  0 being read, 1 waiting."]
    code, out, err = run("reading", "BR-1", "--wait", "--timeout", "0.2", obj=session)
    assert code == 8 and "has not finished after 0.2 seconds. Is a reading worker running (cli.py worker)?" in err

    worker = threading.Timer(0.3, run_reading, args=(services,))  # a worker gets to it while the bar waits
    worker.start()
    code, out, err = run("reading", "BR-1", "--wait", obj=session)
    worker.join()
    assert code == 7 and "Reading BR-1" in err  # the bar, on stderr
    assert out.splitlines() == [
        "Case BR-1: 0 of 1 passage is read; 1 could not be read.",
        "  FAILED visit.txt, page 1 (tried 1 time(s)): The language model took too long to answer.",
        "Try them again with `cli.py retry-reading BR-1`."]

    reader.fail = None
    code, out, _ = run("retry-reading", "BR-1", obj=session)
    assert code == 0 and out == "Queued 1 failed passage(s) of BR-1 to be read again.\n"
    assert [e.actor for e in services.stores.audit.events(actions=("reading_retried",))] == ["test.admin"]
    code, out, _ = run("retry-reading", "BR-1", obj=session)
    assert out == "No passage of BR-1 has failed, so there is nothing to try again.\n"
    run_reading(services)
    code, out, _ = run("reading", "BR-1", "--wait", obj=session)
    assert code == 0 and out == "Case BR-1: The one passage is read.\n"


def test_ingest_says_the_passages_are_queued_for_reading(run, make_service, tmp_path):
    from tests.conftest import register
    services = make_service()
    register(services, "BR-1", "benefits")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "visit.txt").write_bytes(VISIT)
    code, out, _ = run("ingest", "BR-1", str(folder), obj=cli.Session(build=lambda settings: services))
    assert code == 0 and "Queued 1 passage(s) to be read for facts; `cli.py reading BR-1 --wait` shows" in out


def test_worker_and_serve_start_what_they_say(run):
    started = []
    session = cli.Session(run_worker=lambda settings, workers: started.append(("worker", workers)),
                          run_beside=lambda main, helper: started.append((main, helper)) or 0)
    code, _, err = run("worker", "--workers", "2", obj=session)
    assert code == 0 and started.pop() == ("worker", 2) and "Stop it with Ctrl+C" in err
    code, _, err = run("serve", "--port", "8600", obj=session)
    main, helper = started.pop()
    assert code == 0 and main[1:4] == ["-m", "streamlit", "run"] and main[main.index("--server.port") + 1] == "8600"
    assert helper[1:] == [str(cli.PROJECT / "cli.py"), "--user", "test.admin", "worker", "--workers", "1"]


def test_run_beside_stops_the_background_process_when_the_foreground_one_ends(tmp_path):
    import os
    import sys
    marker = tmp_path / "helper.pid"
    helper = [sys.executable, "-c", f"import os, time; open({str(marker)!r}, 'w').write(str(os.getpid())); "
                                    "time.sleep(120)"]
    main = [sys.executable, "-c", f"import os, time\nwhile not os.path.exists({str(marker)!r}): time.sleep(0.05)"]
    assert cli.run_beside(main, helper, grace_s=5) == 0
    pid = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped and reaped, not left running


def test_serve_runs_the_app_with_a_real_worker_that_reads_new_passages(tmp_path):
    """What `make run` runs: the app and a reading worker process, with the fake model provider (no model is
    loaded); passages ingested meanwhile are read, the Case page shows it, and stopping serve stops both."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from settings import Settings
    from summariser.wiring import build_services
    from tests.conftest import HashingEmbedder, free_port, wait_for
    from tests.ui.conftest import new_app, open_page, seed, sign_in
    data = tmp_path / "data"
    settings = Settings(data_dir=data, llm_provider="fake", reading_retry_delay_s=0)
    services = seed(build_services(settings, embedder=HashingEmbedder()))  # queues the seeded cases' passages
    env = dict(os.environ, CASEWORK_DATA_DIR=str(data), CASEWORK_LLM_PROVIDER="fake",
               CASEWORK_READING_RETRY_DELAY_S="0")
    port, log = free_port(), tmp_path / "serve.log"
    serve = subprocess.Popen([sys.executable, "cli.py", "--user", "test.admin", "serve", "--port", str(port)],
                             cwd=cli.PROJECT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=log.open("wb"))
    try:
        wait_for(f"http://127.0.0.1:{port}/_stcore/health", serve)
        children = [int(p) for p in open(f"/proc/{serve.pid}/task/{serve.pid}/children").read().split()]
        assert len(children) == 2  # the app and the worker
        deadline = time.monotonic() + 120
        while not (progress := services.reading.progress(cli.User("admin", "admin", "all"), "BR-1")).finished:
            assert time.monotonic() < deadline and serve.poll() is None, log.read_text()[-2000:]
            time.sleep(0.3)
        assert (progress.done, progress.failed) == (1, 0)

        at = open_page(sign_in(new_app(services), "asha"), "ui/case.py", case="BR-1", tab="Facts")
        assert not at.exception and not at.progress
        assert "1 of 1 passage(s) read" in " ".join(c.value for c in at.caption)
    finally:
        serve.send_signal(signal.SIGTERM)  # as a service manager stops it: the app and the worker stop too
        try:
            assert serve.wait(60) == 130
        finally:
            if serve.poll() is None:
                os.killpg(serve.pid, signal.SIGKILL)
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
