"""Drafting a summary: pick the template and sources, run the model in its turn, check the text, record it all.

Success or failure, every draft lands in the audit log with its inputs, so a
failure can be retried and a supervisor can see what the model was given.
A template with `compose` front-matter is drafted from the case's checked facts
(summariser/drafting/composer.py); `direct=True`, or a template without it,
gives the model the passages themselves, the older path kept for comparison.
"""
from __future__ import annotations

import logging
import statistics
import time
import uuid
from collections import deque
from dataclasses import asdict
from datetime import date
from typing import Callable

from retrieval.records.access import User
from retrieval.records.store import Case
from retrieval.search.index import PassageIndex
from audit.status_table import INTERRUPTED
from summariser.checks.conflicts import (Conflict, conflicts_involving, conflicts_section, draft_conflicts,
                                         find_conflicts)
from summariser.checks.coverage import check_coverage
from summariser.checks.grounding import GroundingChecker
from summariser.checks.risk import assess_sources
from summariser.checks.vulnerability import VulnerabilityScorer
from summariser.drafting.citations import Source, check_citations
from summariser.drafting.composer import OVERVIEW_TEMPLATE, Composer, Composition
from summariser.drafting.drafter import NOTES_TEMPLATE, Drafter, DraftRun
from summariser.drafting.llm import ChatModel
from summariser.drafting.queue import ModelQueue, SharedModelQueue
from summariser.drafting.templates import PromptTemplate, TemplateLibrary
from summariser.errors import SummariserError, TemplateNotFound
from summariser.privacy.pseudonyms import Pseudonyms, redaction_scope
from summariser.reading.jobs import ReadingJobs
from summariser.services.cases import CaseService
from summariser.services.screening import DocumentHeldBack, DocumentScreening
from summariser.services.sources import CaseSources, known
from workflow.review import DraftReview
from workflow.state import DraftState

log = logging.getLogger(__name__)
UPDATE_TEMPLATE = "case_update"
MakeDrafter = Callable[[ChatModel, PromptTemplate, Callable[[str], None] | None, Callable[[str], None] | None],
                       Drafter]


class DraftingService:
    def __init__(self, cases: CaseService, sources: CaseSources, index: PassageIndex, review: DraftReview,
                 templates: TemplateLibrary, chat_model: Callable[[], ChatModel], grounding: GroundingChecker,
                 make_drafter: MakeDrafter = Drafter, model_queue: ModelQueue | SharedModelQueue | None = None,
                 default_template: str = "case_summary", related_limit: int = 6,
                 today: Callable[[], date] = date.today, reading: ReadingJobs | None = None,
                 from_facts: bool = True, screening: DocumentScreening | None = None,
                 vulnerability: VulnerabilityScorer | None = None):
        self.cases, self.case_sources, self.index, self.review = cases, sources, index, review
        self.vulnerability = vulnerability  # the sign-off tier's scorer; None: the word rule decides
        self.screening = screening  # flagged documents (prompt injection, low-confidence OCR) stay out of drafts
        self.templates, self.chat_model, self.grounding = templates, chat_model, grounding
        self.make_drafter, self.reading, self.from_facts = make_drafter, reading, from_facts
        self.model_queue = ModelQueue() if model_queue is None else model_queue  # an empty queue is falsy
        self.default_template, self.related_limit, self.today = default_template, related_limit, today
        self._seconds: dict[str, deque[float]] = {"direct": deque(maxlen=20), "composed": deque(maxlen=20)}

    def expected_seconds(self, direct: bool | None = None) -> float | None:
        """About how long a draft takes, from the last drafts this process made by the same method (the median),
        so the officer waiting for one is given an estimate; None until one has been made."""
        recent = self._seconds["direct" if (not self.from_facts if direct is None else direct) else "composed"]
        return statistics.median(recent) if recent else None

    def letter_template_choices(self) -> list[str]:
        """Templates that summarise one letter or e-mail rather than a whole case."""
        return self.templates.for_scope("document")

    def template_title(self, name: str) -> str:
        """The template's name as people read it; a template since removed keeps its file name."""
        try:
            return self.templates.get(name).title
        except TemplateNotFound:
            return name

    def template_choices(self, case: Case | None = None) -> tuple[list[str], str]:
        """Summary templates an officer may choose, and the default one (for the case's type, if given)."""
        default = self.templates.for_case_type(case.case_type, self.default_template) if case else self.default_template
        return self.templates.summary_names(), default

    def numbered_sources(self, user: User, reference: str) -> list[Source]:
        """The case's passages, numbered as a draft of the whole case is given them."""
        return self.case_sources.sources(self.cases.case(user, reference))[1]

    def _template(self, case: Case, template_name: str | None, update: bool, document_id: int | None,
                  document_ids: set[int]) -> tuple[PromptTemplate, dict, str | None, set[int] | None]:
        """The template, its extra inputs, the summary an update adds to, and the documents it may read."""
        if update:
            basis = self.review.update_basis(case.reference)
            if basis is None:
                raise SummariserError("This case has no approved summary yet, so there is nothing to update. "
                                      "Draft a full summary instead.")
            if not basis.documents_added_since:
                raise SummariserError("No documents were added since the last approved summary, "
                                      "so there is nothing to update.")
            template = self.templates.get(template_name or UPDATE_TEMPLATE)
            if template.role != "update":
                raise SummariserError(f"The template '{template.name}' drafts a full summary, not an update. "
                                      "Choose an update template, or draft a full summary instead.")
            extra = {"previous_summary": basis.approved_text, "since": basis.approved_at[:10]}
            return template, extra, basis.draft.draft_id, set(basis.documents_added_since)
        template = self.templates.get(template_name
                                      or self.templates.for_case_type(case.case_type, self.default_template))
        if template.role == "update":
            raise SummariserError(f"The template '{template.name}' drafts an update of an approved summary: "
                                  "use 'Draft an update' (cli.py draft --update) instead.")
        if template.scope == "case" and document_id is not None:
            raise SummariserError(f"The template '{template.name}' summarises a whole case; choose a letter "
                                  "template to summarise one document.")
        if template.scope == "document":
            if document_id not in document_ids:
                raise SummariserError(f"The template '{template.name}' summarises one letter or e-mail. "
                                      "Choose one of this case's documents for it.")
            return template, {}, None, {document_id}
        return template, {}, None, None

    def draft(self, user: User, reference: str, template_name: str | None = None,
              on_token: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None,
              retry_of: str | None = None, document_id: int | None = None, update: bool = False,
              direct: bool | None = None) -> DraftState:
        """Draft a summary. Success or failure, the draft is recorded with its inputs; a failure can be retried.

        The template defaults to the one made for the case's type. A document template (a letter or e-mail)
        reads only `document_id`; `update` drafts what changed since the last approved summary from the
        documents added after it. Every draft is then checked sentence by sentence (grounding), gets a
        conflicts section listing where the sources disagree, and records which coverage items it omits.
        A composed draft uses the facts of the passages read so far and records how many were not; `direct`
        (default: the `draft_from` setting) gives the model the passages instead.
        """
        case = self.cases.case(user, reference)
        documents, sources = self.case_sources.sources(case)
        template, extra, update_of, keep = self._template(case, template_name, update, document_id,
                                                          {d.id for d in documents})
        sign_off = assess_sources([(s.number, s.text) for s in sources], self.vulnerability)  # the whole case
        held = self._held_back(case, documents, sources, keep if document_id is not None and not update else None)
        whole, case_documents = [s for s in sources if s.document_id not in held], {d.id: d for d in documents}
        sources = whole
        given = sources if keep is None else [s for s in sources if s.document_id in keep]
        conflicts, compared = self._conflicts(case, sources, given)
        kept = {s.number for s in given + compared}
        documents = [d for d in documents if d.id in {s.document_id for s in given + compared}]
        sources = [s for s in sources if s.number in kept]  # numbered as in the whole case
        related = self.index.similar_to_case(case, user.visible_teams, self.related_limit)
        draft_id = self.review.new_draft_id()
        inputs = {
            "retry_of": retry_of, "update_of": update_of, "document_id": document_id if keep and not update else None,
            "case": {"reference": case.reference, "team": case.team, "case_type": case.case_type},
            "documents": [{"id": d.id, "filename": d.filename, "sha256": d.sha256} for d in documents],
            "sources": [{"n": s.number, "chunk_id": s.chunk_id, "document_id": s.document_id, "page": s.page}
                        for s in sources],
            "compared_only": [s.number for s in compared],  # cited by the conflicts section, not given to the model
            "related": [{"chunk_id": p.chunk_id, "case": p.case_reference, "score": p.score} for p in related],
            "template": {"name": template.name, "version": template.version, "sha256": template.sha256},
            "sign_off": sign_off.as_dict(),
        } | ({"held_back": sorted(held)} if held else {})
        direct = not self.from_facts if direct is None else direct
        facts = self._facts(given) if self.composes(template) and not direct else None
        inputs["method"] = "direct" if facts is None else "composed"
        composed: Composition | None = None
        model_info: dict = {}
        started = time.monotonic()
        redaction = Pseudonyms([case.person.full_name])  # used only if the model must not see personal data
        try:
            chat = self.chat_model()
            model_info = {"provider": chat.provider, "model": chat.name, "parameters": chat.parameters}
            waiting = (lambda ahead: on_stage(f"Waiting for the model: {ahead} draft{'s' * (ahead != 1)} or "
                                              f"reading{'s' * (ahead != 1)} of a document ahead of yours")) \
                if on_stage else (lambda ahead: None)
            with self.model_queue.turn(waiting), redaction_scope(redaction):
                if facts is not None:
                    composer = Composer(chat, self.templates.get(OVERVIEW_TEMPLATE), self.grounding.embed, on_stage)
                    composed = composer.compose(template, case.reference, case.person.full_name, case.case_type,
                                                given, facts[0])
                    run = DraftRun(composed.text, composed.steps)
                else:
                    drafter = self.make_drafter(chat, self.templates.get(NOTES_TEMPLATE), on_token, on_stage)
                    run = drafter.draft(template, case, given, self.today(), extra)
            if on_stage:  # within the try: a page closed now is a stopped draft, never one not recorded at all
                on_stage("Checking every sentence against the records")
        except SummariserError as error:
            log.warning("draft %s for %s failed: %s", draft_id, case.reference, error)
            return self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                "model": model_info, "redaction": redaction.audit(), "error": str(error),
                "error_type": type(error).__name__})
        except BaseException as error:  # unexpected, or the run was stopped (page closed): keep the inputs on record
            if not isinstance(error, Exception):
                self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                    "model": model_info, "redaction": redaction.audit(),
                    "error": "Drafting was stopped before it finished (stopped by the officer, or the page was "
                             "closed or changed). Retry it when you are ready.", "error_type": INTERRUPTED})
                raise
            incident = uuid.uuid4().hex[:8]
            log.exception("draft %s for %s failed unexpectedly (incident %s)", draft_id, case.reference, incident)
            return self.review.record_failure(user.username, case.reference, draft_id, inputs | {
                "model": model_info, "redaction": redaction.audit(),
                "error": f"Something went wrong while drafting (incident {incident}). "
                                              "Try again; if it happens again, report the incident id.",
                "error_type": type(error).__name__, "incident": incident})
        conflicts, sources, inputs = self._with_draft_conflicts(case, run.text, conflicts, sources, whole,
                                                                case_documents, inputs)
        text, checks = self._check(case, template, sources, run.text, conflicts)
        self._seconds[inputs["method"]].append(time.monotonic() - started)
        return self.review.record_draft(user.username, case.reference, draft_id, inputs | checks | {
            "model": model_info, "redaction": redaction.audit(), "steps": run.steps,
            "rendered_prompt_sha256": run.final_prompt_sha256 or None,
            "model_output_chars": len(composed.model_text if composed else run.text), "output": text}
            | ({"composition": self._composition(composed, facts[1])} if composed else {}))

    def composes(self, template: PromptTemplate) -> bool:
        """Whether drafts of this template are composed from facts (else the model is given the passages)."""
        return bool(template.compose) and self.reading is not None

    def _facts(self, given: list[Source]):
        """The read facts of the passages to draft from, and the hashes of those not read yet; refuses when
        none is read, since a composed draft would then be empty."""
        facts, unread = self.reading.facts_of(s.text for s in given)
        if not facts:
            raise SummariserError(f"None of the {len(unread)} passages of this case is read for facts yet, so a "
                                  "draft would be empty. Wait for the reading to finish (the Case page shows how "
                                  "far it has got), or draft from the passages directly.")
        return facts, unread

    def _composition(self, composed: Composition, unread: set[str]) -> dict:
        """What a composed draft rests on, for the audit record: the reading's model and prompt, each fact
        used (its passage, offsets and kind), the passages not yet read, and the text the model wrote."""
        model_id, prompt, version = self.reading.reader().identity
        overview = self.templates.get(OVERVIEW_TEMPLATE)
        return {"reading": {"model": model_id, "prompt": prompt, "prompt_version": version},
                "overview_template": {"name": overview.name, "version": overview.version, "sha256": overview.sha256},
                "facts": [{"kind": f.kind, "sources": list(f.sources), "listed": f not in composed.left_out,
                           "read_from": [{"passage_sha256": sha, "start": start, "end": end}
                                         for sha, start, end in f.read_from]} for f in composed.facts],
                "unread_passages": sorted(unread), "model_text": composed.model_text}

    def _held_back(self, case: Case, documents: list, sources: list[Source], letter: set[int] | None) -> set[int]:
        """The flagged documents not yet confirmed (possible prompt injection, or pages read by OCR with low
        confidence), which drafts leave out; refuses a draft of one of them (`letter`), or of a case whose every
        document is held back, saying why in the words of the flags that hold them."""
        held = self.screening.holds(case, documents) if self.screening else {}
        if letter and letter & held.keys():
            raise DocumentHeldBack.of(kind for doc_id in letter & held.keys() for kind in held[doc_id])
        if held and {s.document_id for s in sources} <= held.keys():
            raise DocumentHeldBack.of((kind for kinds in held.values() for kind in kinds), whole_case=True)
        return set(held)

    @staticmethod
    def _with_draft_conflicts(case: Case, text: str, conflicts: list[Conflict] | None, sources: list[Source],
                              whole: list[Source], documents: dict, inputs: dict) -> tuple[list[Conflict] | None,
                                                                                          list[Source], dict]:
        """The conflicts with every sentence of the draft that contradicts the rest of the case added (whichever
        source it cites), and the draft's sources and inputs with the passages those cite."""
        if conflicts is None:
            return None, sources, inputs
        try:
            found = draft_conflicts(text, whole, case.person.full_name, conflicts)
        except Exception:
            log.exception("the draft's own conflicts check for %s failed", case.reference)
            return None, sources, inputs
        have = {s.number for s in sources}
        added = [s for s in whole if s.number in {n for c in found for n in c.cited} - have]
        if not added:
            return conflicts + found, sources, inputs
        sources = sorted(sources + added, key=lambda s: s.number)
        listed = {d["id"] for d in inputs["documents"]}
        new_documents = [documents[i] for i in dict.fromkeys(s.document_id for s in added) if i not in listed]
        return conflicts + found, sources, inputs | {
            "sources": inputs["sources"] + [{"n": s.number, "chunk_id": s.chunk_id, "document_id": s.document_id,
                                             "page": s.page} for s in added],
            "compared_only": inputs["compared_only"] + [s.number for s in added],
            "documents": inputs["documents"] + [{"id": d.id, "filename": d.filename, "sha256": d.sha256}
                                                for d in new_documents]}

    @staticmethod
    def _conflicts(case: Case, sources: list[Source], given: list[Source]) -> tuple[list[Conflict] | None,
                                                                                     list[Source]]:
        """Where the records disagree, for the part of the case being drafted, and the passages of the rest of
        the case the conflicts section must cite (not given to the model). None if the check itself failed."""
        try:
            conflicts = find_conflicts(sources, case.person.full_name)
        except Exception:
            log.exception("the conflicts check for %s failed", case.reference)
            return None, []
        if len(given) == len(sources):
            return conflicts, []
        conflicts = conflicts_involving(conflicts, {s.number for s in given})
        cited = {n for c in conflicts for n in c.cited}
        given_numbers = {s.number for s in given}
        return conflicts, [s for s in sources if s.number in cited - given_numbers]

    def _check(self, case: Case, template: PromptTemplate, sources: list[Source], model_text: str,
               conflicts: list[Conflict] | None) -> tuple[str, dict]:
        """The draft text with its conflicts section, and the checks recorded with it. A failing check never
        loses the model's text: the draft is kept, and its grounding is worked out again when it is opened."""
        try:
            if conflicts is None:
                raise RuntimeError("the conflicts check failed")
            text = model_text + (f"\n\n{conflicts_section(conflicts)}" if conflicts else "")
            return text, {"citations": check_citations(text, sources, template.sections).as_dict(),
                          "grounding": self.grounding.check(text, sources, context=known(case)).as_dict(),
                          "conflicts": [asdict(c) for c in conflicts],
                          "coverage": [asdict(g) for g in check_coverage(template, text, sources)]}
        except Exception:
            incident = uuid.uuid4().hex[:8]
            log.exception("checks of a draft for %s failed (incident %s)", case.reference, incident)
            return model_text, {"citations": check_citations(model_text, sources, template.sections).as_dict(),
                                "checks_error": f"The sentence checks could not run (incident {incident}); "
                                                "they run again when the draft is opened."}

    def retry(self, user: User, draft_id: str, on_token: Callable[[str], None] | None = None,
              on_stage: Callable[[str], None] | None = None) -> DraftState:
        failed = self.review.state(draft_id)
        self.cases.case(user, failed.case_reference)
        if failed.status not in ("failed", "stopped"):
            raise SummariserError("Only a failed or stopped draft can be retried; draft a new summary instead.")
        inputs = failed.drafted.data
        return self.draft(user, failed.case_reference, inputs.template.name, on_token, on_stage,
                          retry_of=draft_id, document_id=inputs.document_id, update=bool(inputs.update_of),
                          direct=inputs.method == "direct")
