"""One typed model per audit action: checked when an event is appended, parsed when it is read.

The log stores what the caller gave, exactly: checking never rewrites a
payload, so the canonical JSON, and every hash, is what it was before events
were typed. Appending is strict (an unknown action, an unknown key, a missing
key in `needed`, or a value of the wrong type is refused with EventInvalid),
so nothing unreadable enters the chain. Reading is lenient, because the chain
holds events written by earlier versions: a missing key takes its default, an
unknown one is ignored, a value that no longer fits is dropped to its default,
and a personal text reads as itself, as its tombstone, or (when the texts were
not read, `events(texts=False)` and `outline`) as ``TEXT_NOT_READ``.

A new action, or a new key in a payload, is added here first.
"""
from __future__ import annotations

from typing import Any, ClassVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit.errors import EventInvalid
from audit.kept_texts import is_ref

TEXT_NOT_READ = "[this text was not read]"


def _unref(value: Any) -> Any:
    """The value with every content reference in it read as TEXT_NOT_READ."""
    if isinstance(value, dict):
        return TEXT_NOT_READ if is_ref(value) else {k: _unref(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unref(v) for v in value]
    return value


SUPERVISING = ("supervisor", "admin")
ADMIN = ("admin",)
OPERATOR_PREFIX = "operator:"  # the actor of a CLI command run in operator mode: "operator:" + the OS user


class Payload(BaseModel):
    """The details of one event. `needed` names the keys an appender must give; every field has a default so
    that events written before a key existed still read. `done_by` names the roles an account needed to record
    it (empty: any account), so verification can report a signed event by someone who did not hold them."""

    model_config = ConfigDict(frozen=True, extra="ignore", protected_namespaces=())
    action: ClassVar[str] = ""
    needed: ClassVar[tuple[str, ...]] = ()
    done_by: ClassVar[tuple[str, ...]] = ()
    roles_follow_payload: ClassVar[bool] = False  # True: `roles_needed` reads the payload
    by_anyone: ClassVar[bool] = False  # True: recorded for whoever tried, account or not (a failed sign-in)
    via: str | None = None  # "cli" for actions taken on the command line; absent for the app

    @classmethod
    def roles_needed(cls, payload: dict) -> tuple[str, ...]:
        """The roles needed to record this event with this (chained) payload; empty: any account."""
        return cls.done_by


def _parts(annotation: Any) -> type[Payload] | None:
    """The payload model a field holds, alone or in a list, or None for a plain value."""
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return annotation if isinstance(annotation, type) and issubclass(annotation, Payload) else None


def _shape_problems(kind: type[Payload], data: dict, where: str) -> list[str]:
    """Unknown and missing keys, at every level the models describe (pydantic itself ignores unknown keys,
    so that reading stays lenient)."""
    problems = []
    unknown = sorted(set(data) - set(kind.model_fields))
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (add them to audit/events.py)")
    missing = [key for key in kind.needed if key not in data]
    if missing:
        problems.append(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
    for name, field in kind.model_fields.items():
        part, value = _parts(field.annotation), data.get(name)
        if part is None:
            continue
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            if isinstance(item, dict):
                problems += _shape_problems(part, item, f"{name}" if index is None else f"{name}.{index}")
    return problems


class Other(Payload):
    """An action this version does not know, read from an older or newer log: its details stay in `payload`."""


# drafts -------------------------------------------------------------------------------------------------------
class CaseRef(Payload):
    reference: str | None = None
    team: str | None = None
    case_type: str | None = None


class DocumentRef(Payload):
    id: int | None = None
    filename: str | None = None
    sha256: str | None = None


class SourceRef(Payload):
    n: int | None = None
    chunk_id: str | None = None
    document_id: int | None = None
    page: int | None = None


class RelatedRef(Payload):
    chunk_id: str | None = None
    case: str | None = None
    score: float | None = None


class TemplateRef(Payload):
    name: str | None = None
    version: str | int | None = None
    sha256: str | None = None


class ModelRef(Payload):
    provider: str | None = None
    model: str | None = None
    parameters: dict | None = None


class SignOff(Payload):
    tier: str = "officer"
    reasons: list[str] = Field(default_factory=list)
    model: str = ""  # what decided: the vulnerability model's version, or "word rule"; "" before issue 15
    score: float | None = None  # the highest source score under the model


class Redaction(Payload):
    """Whether personal data was replaced by placeholders before the model saw it, and how many different items
    of each kind (PERSON, NINO, POSTCODE...); never what they were."""
    ran: bool = False
    counts: dict[str, int] = Field(default_factory=dict)


class DraftInputs(Payload):
    """What a draft was made from, recorded whether the model succeeded or not."""
    retry_of: str | None = None
    update_of: str | None = None
    document_id: int | None = None
    case: CaseRef = Field(default_factory=CaseRef)
    documents: list[DocumentRef] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    compared_only: list[int] = Field(default_factory=list)
    related: list[RelatedRef] = Field(default_factory=list)
    template: TemplateRef = Field(default_factory=TemplateRef)
    sign_off: SignOff = Field(default_factory=SignOff)  # officer tier for drafts recorded before sign-off existed
    model: ModelRef = Field(default_factory=ModelRef)
    method: str = "direct"  # "composed": from the case's checked facts (summariser/drafting/composer.py)
    held_back: list[int] = Field(default_factory=list)  # flagged documents nobody had confirmed, left out
    redaction: Redaction = Field(default_factory=Redaction)  # drafts before summariser/privacy: not redacted


class Drafted(DraftInputs):
    action = "drafted"
    needed = ("output",)
    output: str = ""
    steps: list[dict] = Field(default_factory=list)
    rendered_prompt_sha256: str | None = None
    model_output_chars: int | None = None
    # The checks' reports, in the shapes their own modules read back (`from_dict`).
    citations: dict | None = None
    grounding: dict | None = None
    conflicts: list[dict] | None = None
    coverage: list[dict] | None = None
    checks_error: str | None = None
    # A composed draft: the reading's model and prompt, the facts used, passages not yet read, the model's text.
    composition: dict | None = None


class DraftFailed(DraftInputs):
    action = "draft_failed"
    needed = ("error",)
    error: str = ""
    error_type: str | None = None
    incident: str | None = None


# decisions ----------------------------------------------------------------------------------------------------
class Edited(Payload):
    action = "edited"
    needed = ("text", "version", "role", "diff_from_ai")
    text: str = ""
    version: int | None = None
    role: str | None = None  # None for edits recorded before roles were kept
    diff_from_ai: str = ""


class SentenceAccepted(Payload):
    action = "sentence_accepted"
    needed = ("version", "sentence_key", "text", "reason", "role")
    version: int = 0
    sentence_key: str = ""
    text: str = ""
    reason: str = ""
    role: str | None = None


class Approved(Payload):
    action = "approved"
    needed = ("version", "note", "role", "sign_off_tier", "second_check")
    roles_follow_payload = True
    version: int | None = None
    note: str = ""
    role: str | None = None
    sign_off_tier: str = "officer"
    second_check: bool = False
    update_of: str | None = None  # the full summary an approved update adds to

    @classmethod
    def roles_needed(cls, payload: dict) -> tuple[str, ...]:
        return SUPERVISING if payload.get("sign_off_tier") == "supervisor" else ()


class SentToSupervisor(Payload):
    """An officer asks the team's supervisors to approve a draft that needs their sign-off."""
    action = "sent_to_supervisor"
    needed = ("version", "role")
    version: int = 0
    note: str = ""
    role: str | None = None


class Rejected(Payload):
    action = "rejected"
    needed = ("reason", "role")
    reason: str = ""
    role: str | None = None


class SecondChecked(Payload):
    action = "second_checked"
    done_by = SUPERVISING
    needed = ("outcome", "note", "role", "version")
    outcome: str = ""
    note: str = ""
    role: str | None = None
    version: int | None = None


# cases, people, exports -------------------------------------------------------------------------------------
class FileOutcome(Payload):
    filename: str | None = None
    status: str | None = None
    document_id: int | None = None
    error: str | None = None
    sha256: str | None = None  # of the file
    text_sha256: str | None = None  # of the text stored from it (UTF-8), re-hashed by verify; absent before issue 13


class DocumentsAdded(Payload):
    action = "documents_added"
    needed = ("files",)
    files: list[FileOutcome] = Field(default_factory=list)
    # True: recorded after the process that stored these files stopped before recording them (issue 16)
    recorded_late: bool | None = None


class SignedIn(Payload):
    action = "signed_in"
    needed = ("role", "team")
    role: str | None = None
    team: str | None = None
    method: str | None = None  # "oidc" when the identity provider vouched for them


class SignedOut(Payload):
    action = "signed_out"
    idle_minutes: int | None = None  # set when the app signed them out after this long without activity


class SignInFailed(Payload):
    """A sign-in that did not let someone in. The actor is the user name as typed (lower case), whether or not
    such an account exists, so a name that does not exist is counted, slowed down and locked the same way, and
    the refusals give nothing away; `account_exists` is for the audit log's readers only."""
    action = "sign_in_failed"
    by_anyone = True
    needed = ("outcome", "client", "account_exists")
    outcome: str = "wrong"  # "wrong": name or password not right; "waiting" / "locked": refused unchecked
    client: str = ""  # where the attempt came from: the browser's address, or "cli:" and the OS user
    account_exists: bool | None = None
    wait_s: int | None = None  # for a refusal: how long they were asked to wait


class AccountLocked(Payload):
    """Too many failed sign-ins in a row: the name is locked until `until` (ISO 8601, UTC) or an unlock."""
    action = "account_locked"
    by_anyone = True
    needed = ("failures", "until", "client", "account_exists")
    failures: int = 0
    until: str = ""
    client: str = ""  # where the failure that locked it came from
    account_exists: bool | None = None


class AccountUnlocked(Payload):
    """An administrator lifted a lock (and forgot the failures before it)."""
    action = "account_unlocked"
    done_by = ADMIN
    needed = ("username",)
    username: str = ""


class AccountSaved(Payload):
    action = "account_saved"
    done_by = ADMIN
    needed = ("username", "role", "team")
    username: str = ""
    role: str | None = None
    team: str | None = None


class EvidenceExported(Payload):
    action = "evidence_exported"
    needed = ("draft_id", "pack_sha256")
    draft_id: str = ""
    pack_sha256: str = ""


class LegalHoldSet(Payload):
    action = "legal_hold_set"
    done_by = ADMIN
    needed = ("person", "case", "reason")
    person: str = ""
    case: str | None = None
    reason: str = ""


class LegalHoldReleased(LegalHoldSet):
    action = "legal_hold_released"


class SubjectAccessExported(Payload):
    action = "subject_access_exported"
    done_by = ADMIN
    needed = ("person", "cases", "documents", "drafts", "events")
    person: str = ""
    cases: int = 0
    documents: int = 0
    drafts: int = 0
    events: int = 0


class ContentsErased(Payload):
    action = "contents_erased"
    done_by = ADMIN
    needed = ("reason", "erased_contents")
    reason: str = ""
    erased_contents: list[str] = Field(default_factory=list)  # content ids erased by it (verify checks each)


class PersonErased(ContentsErased):
    action = "person_erased"
    needed = ("reason", "erased_contents", "person", "cases", "documents", "passages")
    person: str = ""
    cases: list[str] = Field(default_factory=list)
    documents: int = 0  # documents newly erased
    passages: int = 0   # passages taken out of the index
    readings: int = 0   # passage readings (with their facts) deleted; absent from events before issue 10


# reading passages into facts ------------------------------------------------------------------------------------
class ReadingRetried(Payload):
    """An officer asked for a case's failed readings to be tried again (the Retry button, `cli.py retry-reading`)."""
    action = "reading_retried"
    needed = ("passages",)
    passages: int = 0  # failed passage readings queued again


# documents that may hold a prompt injection (issue 14) or were read by OCR with low confidence (issue 15) ---
class FlaggedSentence(Payload):
    start: int = 0  # offsets in the document's text
    end: int = 0
    score: float = 0.0  # the classifier's probability
    rules: list[str] = Field(default_factory=list)  # the rules it broke, by name
    excerpt: str = ""  # the sentence itself (a personal text, kept apart from the chain)


class LowConfidencePage(Payload):
    page: int = 0  # 1-based page number
    confidence: float | None = None  # Tesseract's mean word confidence, 0-100


def _injection_only() -> list[str]:
    return ["injection"]  # what every flag was before OCR flags existed (issue 15)


class DocumentFlagged(Payload):
    """A document added to a case reads like it holds instructions to an AI, or has pages read by OCR with low
    confidence (or both: `kinds`): its facts and passages stay out of drafts until an officer of the case's team
    confirms it (ordinary correspondence; its recognised text checked against the paper)."""
    action = "document_flagged"
    needed = ("document_id", "detector", "sentences", "kinds")
    document_id: int = 0
    detector: str = ""  # the rules' and classifier's versions (summariser/checks/injection.py), "ocr-confidence"
    sentences: list[FlaggedSentence] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=_injection_only)  # "injection", "ocr"
    pages: list[LowConfidencePage] = Field(default_factory=list)  # OCR: the pages below the threshold
    threshold: float | None = None  # OCR: the confidence threshold (CASEWORK_OCR_MIN_CONFIDENCE) then


class DocumentConfirmed(Payload):
    """An officer confirmed a flagged document (ordinary correspondence, its recognised text right, or both:
    `kinds`): drafts use it from now on."""
    action = "document_confirmed"
    needed = ("document_id", "detector", "note", "role", "kinds")
    document_id: int = 0
    detector: str = ""  # the screening the officer was shown
    note: str = ""
    role: str | None = None
    kinds: list[str] = Field(default_factory=_injection_only)  # the kinds of flag this confirms


# the directory of vetted services, and signposting from a case (issue 15) ---------------------------------------
class DirectoryEntrySaved(Payload):
    """An administrator added a service to the directory, or changed one: the entry as saved."""
    action = "directory_entry_saved"
    done_by = ADMIN
    needed = ("entry_id", "change", "name", "needs", "contact", "area", "vetted_by", "vetted_on", "demo")
    entry_id: int = 0
    change: str = ""  # "added" or "edited"
    name: str = ""
    needs: list[str] = Field(default_factory=list)  # need codes (retrieval.records.directory.NEEDS)
    contact: str = ""
    area: str = ""
    vetted_by: str = ""
    vetted_on: str = ""
    description: str = ""
    demo: bool = False


class DirectoryEntryRetired(Payload):
    """An administrator took a service out of the directory's suggestions (the entry is kept)."""
    action = "directory_entry_retired"
    done_by = ADMIN
    needed = ("entry_id", "name", "reason")
    entry_id: int = 0
    name: str = ""
    reason: str = ""


class RefusedRow(Payload):
    row: int = 0  # as a spreadsheet numbers it: the header is row 1
    error: str = ""


class DirectoryImported(Payload):
    """An administrator imported a CSV file of services: what each row became, and the rows refused, with why."""
    action = "directory_imported"
    done_by = ADMIN
    needed = ("file_sha256", "rows", "added", "updated", "unchanged", "refused")
    filename: str = ""
    file_sha256: str = ""
    rows: int = 0
    added: list[int] = Field(default_factory=list)  # entry ids
    updated: list[int] = Field(default_factory=list)
    unchanged: list[int] = Field(default_factory=list)
    refused: list[RefusedRow] = Field(default_factory=list)


class ChosenService(Payload):
    entry_id: int = 0
    name: str = ""
    need: str = ""  # the need code it was suggested for
    document_id: int | None = None  # where the need was shown: the passage cited with the suggestion
    chunk_id: str | None = None


class SignpostingChosen(Payload):
    """An officer chose which suggested services to mention in a letter or note. Nothing is sent or referred."""
    action = "signposting_chosen"
    needed = ("services", "role", "rule")
    services: list[ChosenService] = Field(default_factory=list)
    role: str | None = None
    rule: str = ""  # the version of the rule that found the needs (summariser/checks/needs.py)


# the Incoming correspondence queue: officers' decisions on letters and e-mails scored for risk (issue 15) -----
class ScoredSentence(Payload):
    start: int = 0  # offsets in the document's text
    end: int = 0
    score: float = 0.0  # the sentence's own score under the model, 0 to 1
    excerpt: str = ""  # the sentence itself (a personal text, kept apart from the chain)


class TriageDecided(Payload):
    """An officer of the case's team decided whether a letter or e-mail in the Incoming correspondence queue shows
    signs that the person is at risk ("confirmed") or not ("dismissed"), with a reason; recorded with what they
    were shown (the score, the sentences that drove it, the model's version and threshold). These decisions are
    the labelled data an administrator exports for retraining (summariser/services/triage.py)."""
    action = "triage_decided"
    needed = ("document_id", "decision", "reason", "role", "model", "score", "threshold", "flagged", "sentences",
              "text_sha256")
    document_id: int = 0
    decision: str = ""  # "confirmed" (signs of risk) or "dismissed" (none)
    reason: str = ""
    role: str | None = None
    model: str = ""  # the vulnerability model's version (VulnerabilityScorer.version)
    score: float = 0.0  # the document's score, 0 to 1
    threshold: float = 0.0  # the model's threshold then
    flagged: bool = False  # whether the score reached it
    sentences: list[ScoredSentence] = Field(default_factory=list)  # those shown as the reasons, highest first
    text_sha256: str = ""  # of the document's text that was scored (UTF-8)


class TriageLabelsExported(Payload):
    """An administrator exported the officers' triage decisions, with the texts they were about, for retraining
    the vulnerability model: personal data leaving the tool, so who, how many and the file's SHA-256 are kept."""
    action = "triage_labels_exported"
    done_by = ADMIN
    needed = ("decisions", "left_out", "file_sha256")
    decisions: int = 0  # lines written
    left_out: int = 0  # decisions whose document has been erased since: not exported
    file_sha256: str = ""


# the audit trail itself ---------------------------------------------------------------------------------------
class AuditKeyRotated(Payload):
    """Events from this one on are signed with a new key (``audit.signing``); it is the first signed with it."""
    action = "audit_key_rotated"
    needed = ("key_id",)
    done_by = ADMIN
    key_id: str = ""


EVENT_TYPES: dict[str, type[Payload]] = {kind.action: kind for kind in (
    Drafted, DraftFailed, Edited, SentenceAccepted, Approved, SentToSupervisor, Rejected, SecondChecked, DocumentsAdded, SignedIn,
    SignedOut, SignInFailed, AccountLocked, AccountUnlocked, AccountSaved, EvidenceExported, LegalHoldSet,
    LegalHoldReleased, SubjectAccessExported, ContentsErased, PersonErased, ReadingRetried, DocumentFlagged,
    DocumentConfirmed, AuditKeyRotated, DirectoryEntrySaved, DirectoryEntryRetired, DirectoryImported,
    SignpostingChosen, TriageDecided, TriageLabelsExported)}
ERASURE_ACTIONS = tuple(action for action, kind in EVENT_TYPES.items() if issubclass(kind, ContentsErased))


def check(action: str, payload: dict) -> Payload:
    """Refuse an event this log does not know or whose payload has the wrong shape (EventInvalid)."""
    kind = EVENT_TYPES.get(action)
    if kind is None:
        raise EventInvalid(f"The audit log has no event '{action}'. Add its model to audit/events.py first.")
    problems = _shape_problems(kind, payload, "payload")
    try:
        checked = kind.model_validate(payload, strict=True)
    except ValidationError as error:
        problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    if problems:
        raise EventInvalid(f"The '{action}' event was not recorded because its details are not as expected "
                           f"({'; '.join(problems)}).")
    return checked


def parse(action: str, payload: dict, texts_read: bool = True) -> Payload:
    """The typed details of an event read from the log; never fails (see the module's docstring). With
    `texts_read` False the payload is the chained form, its personal texts still references."""
    kind = EVENT_TYPES.get(action, Other)
    data = (payload if texts_read else _unref(payload)) if isinstance(payload, dict) else {}
    while True:
        try:
            return kind.model_validate(data)
        except ValidationError as error:  # drop what no longer fits, keep the rest
            bad = {e["loc"][0] for e in error.errors() if e["loc"]}
            if not bad & data.keys():
                return kind()
            data = {key: value for key, value in data.items() if key not in bad}
