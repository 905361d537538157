"""The command line end to end: seed the demo, ingest a folder, draft with a real small model, decide, verify; and
the CLI acting as a real account, with the app's role and team checks."""
from __future__ import annotations

import getpass
import re
import time

import pytest
from click.testing import CliRunner

import cli
from demo.seed import DEMO_PASSWORD
from retrieval.ingest.pipeline import Upload
from retrieval.records.access import User
from summariser.drafting.model_files import bundled_smollm
from tests.conftest import fake_chat, register

PASSWORD = "a long password"
ADMIN = User("test.admin", "admin", "all")
ACCOUNTS = (ADMIN, User("asha", "officer", "benefits"), User("sam", "supervisor", "benefits"),
            User("hugo", "officer", "housing"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run one command; `--user NAME` signs in with CASEWORK_PASSWORD (PASSWORD unless a test sets another),
    `--operator` runs as the operating-system user."""
    monkeypatch.setenv("CASEWORK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CASEWORK_LLM_MODEL_PATH", str(bundled_smollm()))
    monkeypatch.setenv("CASEWORK_LLM_CONTEXT_TOKENS", "4096")
    monkeypatch.setenv("CASEWORK_LLM_MAX_OUTPUT_TOKENS", "200")
    monkeypatch.setenv("CASEWORK_DRAFT_FROM", "passages")  # no reading worker runs beside these commands
    monkeypatch.setenv("CASEWORK_PASSWORD", PASSWORD)
    monkeypatch.delenv("CASEWORK_USER", raising=False)
    runner = CliRunner()

    def run(*args: str, obj=None, input=None) -> tuple[int, str, str]:
        result = runner.invoke(cli.cli, list(args), obj=obj, input=input)
        return result.exit_code, result.stdout, result.stderr
    return run


def with_accounts(services):
    """The services with the accounts in ACCOUNTS, each with PASSWORD, saved as the first administrator would
    (operator mode, then the administrator)."""
    operator = User("operator:test", "admin", "all")
    for account in ACCOUNTS:
        services.accounts.save_account(operator if account is ADMIN else ADMIN, account.username, account.username,
                                       account.role, account.team, PASSWORD)
    return services


def session_of(services, **options) -> cli.Session:
    return cli.Session(build=lambda settings: services, **options)


@pytest.mark.model
def test_the_cli_covers_the_whole_core(run, tmp_path, monkeypatch):
    code, out, err = run("--operator", "seed-demo")
    assert code == 0 and "Loaded the demo caseload: 14 cases." in out and DEMO_PASSWORD in out
    assert "Created the audit log's signing key in" in err and "audit-keys.json" in err
    code, out, err = run("--operator", "seed-demo")
    assert code == 0 and "was not loaded again" in out and "signing key" not in err
    monkeypatch.setenv("CASEWORK_PASSWORD", DEMO_PASSWORD)
    admin = ("--user", "chris.ellery")

    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "call.txt").write_text("02/02/2026 - Phone call: Ms Harrowby asked about her payment date.\n")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\ntruncated")
    code, out, err = run(*admin, "ingest", "BR-2025-0141", str(folder))
    assert code == 3  # one file was refused, and said so
    assert re.search(r"added\s+call\.txt", out) and re.search(r"refused\s+scan\.pdf: .+", out)
    assert "Adding to BR-2025-0141" in err  # the progress bar

    code, out, err = run(*admin, "draft", "BR-2025-0141")
    assert code == 0 and "[Writing the summary]" in err
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run(*admin, "pending")
    assert draft_id in out
    code, out, _ = run(*admin, "reject", draft_id, "--reason", "Too short to be useful")
    assert code == 0 and "is now rejected" in out
    code, out, err = run(*admin, "approve", draft_id)
    assert code == 2 and "already rejected" in err

    # a second draft, taken all the way: every unsupported sentence answered, approved, exported, anchored
    code, out, _ = run(*admin, "draft", "BR-2025-0141")
    draft_id = re.search(r"Draft ([0-9a-f]{32}) for case BR-2025-0141: pending", out).group(1)
    code, out, _ = run(*admin, "show", draft_id)
    assert code == 0 and re.search(r"Grounding: \d+ of \d+ sentence\(s\) supported", out)
    for sentence_id in dict.fromkeys(re.findall(r"NOT SUPPORTED ([0-9a-f]{12})", out)):
        code, out, err = run(*admin, "accept", draft_id, sentence_id, "--reason", "Checked against the file.")
        assert code == 0 and out.startswith("Accepted: "), err
    code, out, err = run(*admin, "approve", draft_id)
    assert code == 0 and "is now approved" in out, err
    code, out, _ = run(*admin, "versions", draft_id)
    assert out.startswith("version 1: AI draft by chris.ellery")
    code, out, err = run(*admin, "evidence", draft_id, "--out-dir", str(tmp_path / "packs"))
    assert code == 0 and (tmp_path / "packs" / f"evidence-{draft_id[:8]}.html").exists()
    code, out, _ = run(*admin, "head")
    anchor = out.splitlines()[0]
    code, out, _ = run(*admin, "verify", "--against", anchor)
    assert code == 0 and "intact" in out and "nothing up to it was changed" in out
    assert re.search(r"\d+ with a valid signature, 0 written before signing began", out)
    assert re.search(r"6\d document texts unchanged", out)


def test_unknown_case_is_a_plain_error(run, make_service):
    code, _, err = run("--user", "test.admin", "draft", "NO-SUCH-CASE", obj=session_of(with_accounts(make_service())))
    assert code == 2 and "There is no case with reference NO-SUCH-CASE." in err


def test_an_unexpected_failure_gives_an_incident_id_not_a_traceback(run):
    def broken(settings):
        raise RuntimeError("the disk is on fire")
    code, out, err = run("--user", "test.admin", "cases", obj=cli.Session(build=broken))
    assert code == 1 and re.search(r"Something went wrong \(incident [0-9a-f]{8}\)", err)
    assert "on fire" not in out + err.splitlines()[-1]


def test_add_user_reads_the_password_and_the_account_can_sign_in(run, make_service):
    services = with_accounts(make_service())
    session = session_of(services)
    code, out, err = run("--user", "test.admin", "add-user", "morgan", "--full-name", "Morgan Lee", "--role",
                         "supervisor", "--team", "benefits", obj=session, input="another long password\n")
    assert code == 0 and "Saved account morgan (supervisor, team benefits)." in out, err
    assert services.accounts.sign_in("morgan", "another long password").role == "supervisor"
    saved = [e for e in services.stores.audit.events(actions=("account_saved",)) if e.data.username == "morgan"]
    assert [(e.actor, e.data.via) for e in saved] == [("test.admin", "cli")]
    code, _, err = run("--user", "test.admin", "add-user", "x", "--full-name", "X", "--role", "chief", "--team", "t",
                       obj=session, input="a long password\n")
    assert code == 2 and "'chief' is not one of" in err


# the CLI as a real account ----------------------------------------------------------------------------------
def test_an_unknown_account_or_a_wrong_password_is_refused_and_nothing_is_done(run, make_service, monkeypatch):
    services = with_accounts(make_service())
    register(services)
    before = services.stores.audit.head()
    code, _, err = run("--user", "nobody", "erase", "P-1", "--reason", "Because", obj=session_of(services))
    assert code == 2 and "The user name or password is not right" in err
    monkeypatch.setenv("CASEWORK_PASSWORD", "not the password")
    code, _, err = run("--user", "test.admin", "erase", "P-1", "--reason", "Because", obj=session_of(services))
    assert code == 2 and "The user name or password is not right" in err
    monkeypatch.delenv("CASEWORK_PASSWORD")
    code, _, err = run("--user", "test.admin", "cases", obj=session_of(services))
    assert code == 2 and "set CASEWORK_PASSWORD to its password, or run the command in a terminal" in err
    recorded = services.stores.audit.events()[before[0]:]  # the failed sign-ins, and nothing else
    assert [(e.actor, e.action, e.data.outcome, e.data.client, e.data.account_exists, e.data.via)
            for e in recorded] == [("nobody", "sign_in_failed", "wrong", f"cli:{getpass.getuser()}", False, "cli"),
                                   ("test.admin", "sign_in_failed", "wrong", f"cli:{getpass.getuser()}", True, "cli")]
    assert services.stores.records.person("P-1").full_name == "Jane Jones"


def test_the_cli_password_check_waits_then_locks_and_an_administrator_unlocks(run, make_service, monkeypatch):
    services = with_accounts(make_service(sign_in_lock_after_failures=3))
    monkeypatch.setenv("CASEWORK_PASSWORD", "not the password")
    for _ in range(2):
        code, _, err = run("--user", "asha", "cases", obj=session_of(services))
        assert code == 2 and "The user name or password is not right" in err
    monkeypatch.setenv("CASEWORK_PASSWORD", PASSWORD)
    code, _, err = run("--user", "asha", "cases", obj=session_of(services))
    assert code == 2 and "Too many sign-ins have failed. Wait 1 second, then try again." in err
    time.sleep(1.1)
    monkeypatch.setenv("CASEWORK_PASSWORD", "not the password")
    code, _, err = run("--user", "asha", "cases", obj=session_of(services))
    assert code == 2 and "This account is locked after too many failed sign-ins. Try again in 15 minutes" in err
    monkeypatch.setenv("CASEWORK_PASSWORD", PASSWORD)
    code, _, err = run("--user", "asha", "cases", obj=session_of(services))  # the right password, refused unchecked
    assert code == 2 and "ask an administrator to unlock it" in err
    code, _, err = run("--user", "sam", "unlock-account", "asha", obj=session_of(services))
    assert code == 2 and "Only an administrator can unlock accounts." in err
    code, out, err = run("--user", "test.admin", "unlock-account", "asha", obj=session_of(services))
    assert code == 0 and out == "Unlocked account asha: it can sign in again now.\n", err
    code, _, err = run("--user", "asha", "cases", obj=session_of(services))
    assert code == 0, err
    recorded = services.stores.audit.events(actions=("sign_in_failed", "account_locked", "account_unlocked"))
    assert [(e.action, e.data.outcome if e.action == "sign_in_failed" else None) for e in recorded] == [
        ("sign_in_failed", "wrong"), ("sign_in_failed", "wrong"), ("sign_in_failed", "waiting"),
        ("sign_in_failed", "wrong"), ("account_locked", None), ("sign_in_failed", "locked"),
        ("account_unlocked", None)]
    assert {e.data.via for e in recorded} == {"cli"}


@pytest.mark.parametrize("password, problem", [("password", "at least 12 characters long"),
                                               ("Password1234", "on the list of common passwords")])
def test_add_user_refuses_a_weak_password(run, make_service, password, problem):
    services = with_accounts(make_service())
    code, _, err = run("--user", "test.admin", "add-user", "morgan", "--full-name", "Morgan Lee", "--role", "officer",
                       "--team", "benefits", obj=session_of(services), input=password + "\n")
    assert code == 2 and problem in err
    assert services.accounts.accounts.user("morgan") is None


def test_an_officer_cannot_approve_a_draft_that_needs_a_supervisor(run, make_service):
    services = with_accounts(make_service(chat_model=fake_chat("## Background\nA safeguarding referral was made "
                                                               "on 02/02/2025 [1].")))
    register(services, "BR-1", "benefits")
    services.cases.ingest(ADMIN, "BR-1", [Upload("note.txt", b"A safeguarding referral was made on 02/02/2025.")])
    state = services.drafting.draft(ACCOUNTS[1], "BR-1")
    assert state.needs_supervisor
    code, _, err = run("--user", "asha", "approve", state.draft_id, obj=session_of(services))
    assert code == 2 and "A supervisor must approve this draft" in err
    code, out, err = run("--user", "sam", "approve", state.draft_id, obj=session_of(services))
    assert code == 0 and "is now approved" in out, err
    approval = services.stores.audit.events(actions=("approved",))[-1]
    assert (approval.actor, approval.data.role, approval.data.via) == ("sam", "supervisor", "cli")


def test_an_officer_cannot_export_another_teams_person_or_draft(run, make_service, tmp_path):
    services = with_accounts(make_service(chat_model=fake_chat("## Background\nMr Khan asked for a review [1].")))
    register(services, "HS-1", "housing", "P-2", "Amir Khan")
    services.cases.ingest(ADMIN, "HS-1", [Upload("note.txt", b"Mr Khan asked for a review on 02/02/2025.")])
    draft = services.drafting.draft(ACCOUNTS[3], "HS-1")
    out_file = tmp_path / "p2.json"
    code, _, err = run("--user", "asha", "subject-access", "P-2", "--out", str(out_file), obj=session_of(services))
    assert code == 2 and "Only an administrator can export everything held about a person" in err
    code, _, err = run("--user", "asha", "evidence", draft.draft_id, "--out-dir", str(tmp_path),
                       obj=session_of(services))
    assert code == 2 and "You cannot open case HS-1" in err
    assert not out_file.exists() and not list(tmp_path.glob("evidence-*"))
    code, _, _ = run("--user", "hugo", "evidence", draft.draft_id, "--out-dir", str(tmp_path),
                     obj=session_of(services))
    assert code == 0 and list(tmp_path.glob("evidence-*"))  # the same command works for the case's own team


def test_operator_mode_is_only_for_setting_up_and_creates_only_the_first_administrator(run, make_service):
    services = make_service()
    session = session_of(services)
    code, _, err = run("--operator", "cases", obj=session)
    assert code == 2 and "--operator is only for migrate, seed-demo, add-user" in err
    code, _, err = run("--operator", "add-user", "asha", "--full-name", "Asha", "--role", "officer", "--team",
                       "benefits", obj=session, input=PASSWORD + "\n")
    assert code == 2 and "only creates the first administrator" in err
    code, out, err = run("--operator", "add-user", "chris", "--full-name", "Chris", "--role", "admin", "--team",
                         "all", obj=session, input=PASSWORD + "\n")
    assert code == 0 and "Saved account chris (admin, team all)." in out, err
    event = services.stores.audit.events(actions=("account_saved",))[-1]
    assert event.actor.startswith("operator:") and event.data.via == "cli"
    code, _, err = run("--operator", "add-user", "dana", "--full-name", "Dana", "--role", "admin", "--team", "all",
                       obj=session, input=PASSWORD + "\n")
    assert code == 2 and "only creates the first administrator" in err
    assert services.supervision.verify_log(User("chris", "admin", "all")).findings_total == 0


def test_rotating_the_key_and_writing_a_checkpoint(run, make_service):
    services = with_accounts(make_service())
    session = session_of(services)
    code, out, _ = run("--operator", "rotate-audit-key", obj=session)
    assert code == 0 and re.match(r"The audit log is now signed with key k\d{8}-[0-9a-f]{6}\.", out)
    code, out, _ = run("--user", "test.admin", "checkpoint", obj=session)
    seq = services.stores.audit.head()[0]
    assert code == 0 and out == f"Wrote a signed checkpoint of event {seq}.\n"
    code, _, err = run("--user", "asha", "checkpoint", obj=session)
    assert code == 2 and "Only an administrator can write audit checkpoints" in err
    code, out, _ = run("--user", "sam", "verify", obj=session)
    assert code == 0 and f"The audit log is intact: {seq + 2} events checked" in out


# reading passages into facts ----------------------------------------------------------------------------------
VISIT = b"Home visit on 02/02/2025: the boiler is broken. The tenant asked for a repair.\n"


def test_reading_shows_progress_waits_with_a_bar_and_failed_passages_can_be_retried(run, make_service):
    import threading

    from tests.conftest import ADMIN_FIELDS, SentenceReader, register, run_reading
    from retrieval.records.access import User
    reader = SentenceReader(fail="boiler")
    services = with_accounts(make_service(make_reader=lambda: reader, reading_retries=0))
    register(services, "BR-1", "benefits")
    services.cases.ingest(User(**ADMIN_FIELDS), "BR-1", [Upload("visit.txt", VISIT)])
    session = cli.Session(build=lambda settings: services, poll_s=0.05)

    code, out, _ = run("--user", "test.admin", "reading", "BR-1", obj=session)
    assert code == 0 and out.splitlines() == ["Case BR-1: Reading documents: 0 of 1 passage.", "  0 being read, 1 waiting."]
    code, out, err = run("--user", "test.admin", "reading", "BR-1", "--wait", "--timeout", "0.2", obj=session)
    assert code == 8 and "has not finished after 0.2 seconds. Is a reading worker running (cli.py worker)?" in err

    # a worker gets to it while the bar waits (after the CLI has signed in, which takes argon2 a moment)
    worker = threading.Timer(2.0, run_reading, args=(services,))
    worker.start()
    code, out, err = run("--user", "test.admin", "reading", "BR-1", "--wait", obj=session)
    worker.join()
    assert code == 7 and "Reading BR-1" in err  # the bar, on stderr
    assert out.splitlines() == [
        "Case BR-1: 0 of 1 passage is read; 1 could not be read.",
        "  FAILED visit.txt, page 1 (tried 1 time(s)): The language model took too long to answer.",
        "Try them again with `cli.py retry-reading BR-1`."]

    reader.fail = None
    code, out, _ = run("--user", "test.admin", "retry-reading", "BR-1", obj=session)
    assert code == 0 and out == "Queued 1 failed passage(s) of BR-1 to be read again.\n"
    assert [e.actor for e in services.stores.audit.events(actions=("reading_retried",))] == ["test.admin"]
    code, out, _ = run("--user", "test.admin", "retry-reading", "BR-1", obj=session)
    assert out == "No passage of BR-1 has failed, so there is nothing to try again.\n"
    run_reading(services)
    code, out, _ = run("--user", "test.admin", "reading", "BR-1", "--wait", obj=session)
    assert code == 0 and out == "Case BR-1: The one passage is read.\n"


def test_ingest_says_the_passages_are_queued_for_reading(run, make_service, tmp_path):
    from tests.conftest import register
    services = with_accounts(make_service())
    register(services, "BR-1", "benefits")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "visit.txt").write_bytes(VISIT)
    code, out, _ = run("--user", "test.admin", "ingest", "BR-1", str(folder), obj=session_of(services))
    assert code == 0 and "Queued 1 passage(s) to be read for facts; `cli.py reading BR-1 --wait` shows" in out


def test_worker_and_serve_start_what_they_say(run):
    started = []
    session = cli.Session(run_worker=lambda settings, workers: started.append(("worker", workers)),
                          run_beside=lambda main, helper: started.append((main, helper)) or 0)
    code, _, err = run("--operator", "worker", "--workers", "2", obj=session)
    assert code == 0 and started.pop() == ("worker", 2) and "Stop it with Ctrl+C" in err
    code, _, err = run("--operator", "serve", "--port", "8600", obj=session)
    main, helper = started.pop()
    assert code == 0 and main[1:4] == ["-m", "streamlit", "run"] and main[main.index("--server.port") + 1] == "8600"
    assert helper[1:] == [str(cli.PROJECT / "cli.py"), "worker", "--workers", "1"]


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
    serve = subprocess.Popen([sys.executable, "cli.py", "--operator", "serve", "--port", str(port)],
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
        assert "1 of 1 passage read" in " ".join(c.value for c in at.caption)
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


def test_triage_lists_the_teams_queue_shows_one_documents_score_and_exports_for_an_administrator(run, make_service,
                                                                                               tmp_path):
    from tests.summariser.services.test_triage import ASHA, build
    services, ids, _ = build(make_service)
    session = session_of(with_accounts(services))
    code, out, err = run("--user", "asha", "triage", obj=session)
    assert code == 0, err
    assert "4 letter(s) and e-mail(s) of the benefits team waiting" in out and "housing.eml" not in out
    assert out.index("Flagged, score 0.9 or more") < out.index("alarmed.eml") < out.index("half.png") \
        < out.index("Not flagged") < out.index("older-routine.eml") < out.index("old-routine.eml")
    assert "The alarm is sounding in my head every night." in out  # the reasons
    code, out, _ = run("--user", "asha", "triage", "--document", str(ids["alarmed.eml"]), obj=session)
    score = services.triage.score(ASHA, ids["alarmed.eml"]).score
    assert code == 0 and f"score {score:.2f} (flagged; threshold 0.50)" in out and "alarmed.eml (e-mail)" in out
    code, _, err = run("--user", "asha", "triage", "--export", str(tmp_path / "labels.jsonl"), obj=session)
    assert code == 2 and "Only an administrator can export" in err and not (tmp_path / "labels.jsonl").exists()
    services.triage.decide(ASHA, ids["alarmed.eml"], "confirmed", "Cannot go on.")
    code, out, _ = run("--user", "test.admin", "triage", "--export", str(tmp_path / "labels.jsonl"), obj=session)
    assert code == 0 and "Wrote 1 decision(s)" in out
    assert "The alarm is sounding" in (tmp_path / "labels.jsonl").read_text(encoding="utf-8")
    code, _, err = run("--user", "test.admin", "triage", obj=session)
    assert code == 2 and "Choose one of: benefits, housing" in err


def test_triage_confirms_and_dismisses_through_the_apps_rules_and_records_the_decision(run, make_service):
    from summariser.services.triage import DECIDED
    from tests.summariser.services.test_triage import build
    services, ids, _ = build(make_service)
    session = session_of(with_accounts(services))
    alarmed, routine = str(ids["alarmed.eml"]), str(ids["old-routine.eml"])
    for args, refusal in [  # each refused before anything is recorded
            (("asha", "--confirm", alarmed), 'Say why with --reason "..."'),
            (("asha", "--confirm", alarmed, "--reason", "  "), "Say why (for example, which words show a risk"),
            (("asha", "--reason", "Read it."), "--reason goes with --confirm ID or --dismiss ID."),
            (("asha", "--confirm", alarmed, "--dismiss", routine, "--reason", "Read it."), "Use one of --document"),
            (("test.admin", "--confirm", alarmed, "--reason", "Read it."),
             "Only an officer or supervisor of the benefits team can confirm or dismiss a flag"),
            (("hugo", "--dismiss", alarmed, "--reason", "Read it."), "You do not have access to this case."),
            (("asha", "--confirm", str(ids["case-notes.txt"]), "--reason", "Read it."),
             "That document is not a letter or e-mail in the Incoming correspondence queue")]:
        code, out, err = run("--user", args[0], "triage", *args[1:], obj=session)
        assert code == 2 and refusal in err and not out, (args, err)
    assert not services.stores.audit.events(actions=(DECIDED,))

    code, out, err = run("--user", "asha", "triage", "--confirm", alarmed, "--reason", "She says she cannot go on.",
                         obj=session)
    assert code == 0, err
    assert out == (f"Document {alarmed} is confirmed as showing signs of risk. It was shown with score 0.98 (flagged; "
                   "threshold 0.50). Your reason is recorded in the audit log, and the letter has left the queue.\n")
    code, out, err = run("--user", "sam", "triage", "--dismiss", routine, "--reason", "A question about a form.",
                         obj=session)
    assert code == 0 and out.startswith(f"Document {routine} is dismissed: no signs of risk. It was shown with score "
                                        "0.02 (not flagged;"), err
    code, _, err = run("--user", "sam", "triage", "--dismiss", alarmed, "--reason", "On second thoughts.", obj=session)
    assert code == 2 and f"Document {alarmed} was already confirmed by asha on " in err \
        and "A letter is decided once" in err
    recorded = services.stores.audit.events(actions=(DECIDED,), texts=True)
    assert [(e.actor, str(e.data.document_id), e.data.decision, e.data.reason, e.data.role, e.data.via)
            for e in recorded] == [("asha", alarmed, "confirmed", "She says she cannot go on.", "officer", "cli"),
                                   ("sam", routine, "dismissed", "A question about a form.", "supervisor", "cli")]
    code, out, _ = run("--user", "asha", "triage", obj=session)
    assert "2 letter(s) and e-mail(s) of the benefits team waiting" in out and "; 2 decided." in out
    assert "alarmed.eml" not in out and "old-routine.eml" not in out
