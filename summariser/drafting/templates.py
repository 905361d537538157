"""Prompt templates are files: front-matter plus a system and a user part, validated on load.

A template that is broken is refused with the reason, never half-used. Every
draft records the template's name, version and SHA-256 (of the file bytes),
and the SHA-256 of the prompt it rendered, so a supervisor can tell exactly
which words the model was given.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from summariser.errors import TemplateInvalid, TemplateNotFound

REQUIRED = {"name", "version", "description", "input_variables", "sections"}
OPTIONAL = {"role", "case_types", "coverage", "scope", "compose", "data"}
ROLES = {"summary", "internal", "update"}  # update: what changed since the last approved summary
SCOPES = {"case", "document"}  # document: the sources are one letter or e-mail, not the whole case
log = logging.getLogger(__name__)
# `compose`: which kinds of fact (summariser/reading) fill each heading of a draft composed from facts, and
# which heading opens with the model's overview. Every kind is placed once, so no fact is left out.
OVERVIEW = "overview"
PARTS = re.compile(r"^=== (system|user) ===[ \t]*$", re.MULTILINE)
# Spotlighting (issue 14): `data` names the variables that carry text from the records. Each is rendered between
# two fence lines with a code made for that request, which the system part must tell the model about, so text in
# a record can neither close the fence nor pass for instructions. Variables of these names always carry record
# text, so a template must declare them as data: a record is never given to a model unfenced.
FENCE_OPEN, FENCE_CLOSE = "<<<RECORDS", "<<<END RECORDS"
RECORD_VARIABLES = frozenset({"sources", "sentences", "facts", "previous_summary"})
_FENCE_KEY = secrets.token_bytes(32)  # made afresh in every process, never stored


def new_fence(values: dict[str, str]) -> str:
    """The fence code for one request: eight hex digits of a keyed hash of its values. Nobody who wrote a record
    can know it (the key is random per process), and the same request renders the same within a process."""
    message = "\x00".join(f"{name}\x00{values[name]}" for name in sorted(values)).encode("utf-8")
    return hmac.new(_FENCE_KEY, message, hashlib.sha256).hexdigest()[:8]


def fenced(text: str, fence: str) -> str:
    """Record text between the two fence lines; angle-bracket runs inside it are broken up, so it cannot
    imitate a fence line."""
    text = re.sub(r"<{3,}|>{3,}", lambda m: " ".join(m.group(0)), text)
    return f"{FENCE_OPEN} {fence}>>>\n{text}\n{FENCE_CLOSE} {fence}>>>"


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    description: str
    input_variables: tuple[str, ...]
    sections: tuple[str, ...]
    role: str
    case_types: tuple[str, ...]
    system: str
    user: str
    sha256: str
    path: Path
    coverage: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (item, trigger regexes) the summary must cover
    scope: str = "case"
    compose: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (heading, kinds or "overview"); () = direct only
    data: tuple[str, ...] = ()  # variables carrying record text, rendered fenced

    @property
    def title(self) -> str:
        """The name people read: the description's opening words ("Social-security benefit review")."""
        return re.split(r" - |[,.;:]", self.description, maxsplit=1)[0].strip() or self.name

    def render(self, fence: str | None = None, **values: str) -> tuple[str, str]:
        """(system, user) with the variables filled in, the `data` ones fenced with `fence` (default: the
        request's own code, `new_fence`); a missing or extra variable is an error."""
        given, wanted = set(values), set(self.input_variables)
        if given != wanted:
            raise TemplateInvalid(f"Template '{self.name}' needs {sorted(wanted)}; got {sorted(given)}.")
        if self.data:
            fence = fence or new_fence(values)
            values = values | {name: fenced(values[name], fence) for name in self.data}
        return self.system.format(**values), self.user.format(**values)


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def parse_template(path: Path) -> PromptTemplate:
    """Read and validate one template file; raises TemplateInvalid naming the file and the reason."""
    raw = path.read_bytes()
    where = f"Template file {path.name}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise TemplateInvalid(f"{where} is not UTF-8 text.") from error
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise TemplateInvalid(f"{where} must start with front-matter between '---' lines.")
    head, body = text[4:].split("\n---\n", 1)
    try:
        front = yaml.safe_load(head) or {}
    except yaml.YAMLError as error:
        raise TemplateInvalid(f"{where} has front-matter that is not valid YAML ({error}).") from error
    if not isinstance(front, dict):
        raise TemplateInvalid(f"{where} front-matter must be a mapping of keys to values.")
    if unknown := set(front) - REQUIRED - OPTIONAL:
        raise TemplateInvalid(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
    if missing := REQUIRED - set(front):
        raise TemplateInvalid(f"{where} is missing keys: {', '.join(sorted(missing))}.")
    for key in ("input_variables", "sections"):
        if not isinstance(front[key], list) or not all(isinstance(v, str) for v in front[key]):
            raise TemplateInvalid(f"{where}: '{key}' must be a list of words.")
    role = front.get("role", "summary")
    if role not in ROLES:
        raise TemplateInvalid(f"{where}: role must be one of {sorted(ROLES)}.")
    scope = front.get("scope", "case")
    if scope not in SCOPES:
        raise TemplateInvalid(f"{where}: scope must be one of {sorted(SCOPES)}.")
    case_types = front.get("case_types") or []
    if not isinstance(case_types, list) or not all(isinstance(v, str) for v in case_types):
        raise TemplateInvalid(f"{where}: 'case_types' must be a list of case types.")
    coverage = _coverage(front.get("coverage"), where)
    compose = _compose(front.get("compose"), tuple(front["sections"]), where)
    pieces = PARTS.split(body)
    parts = dict(zip(pieces[1::2], pieces[2::2]))
    if set(parts) != {"system", "user"} or len(pieces) != 5 or pieces[0].strip():
        raise TemplateInvalid(f"{where} must have one '=== system ===' part followed by one '=== user ===' part.")
    try:
        used = _placeholders(parts["system"]) | _placeholders(parts["user"])
    except ValueError as error:
        raise TemplateInvalid(f"{where} has a broken placeholder ({error}); write literal braces as {{{{ }}}}.") from error
    declared = set(front["input_variables"])
    if used != declared:
        problems = []
        if undeclared := used - declared:
            problems.append(f"uses undeclared variables {sorted(undeclared)}")
        if unused := declared - used:
            problems.append(f"declares variables it never uses {sorted(unused)}")
        raise TemplateInvalid(f"{where} {' and '.join(problems)}.")
    data = _data(front.get("data"), declared, parts["system"], where)
    if front["name"] != path.stem:
        raise TemplateInvalid(f"{where}: its name '{front['name']}' must match the file name '{path.stem}'.")
    return PromptTemplate(
        name=front["name"], version=str(front["version"]), description=str(front["description"]),
        input_variables=tuple(front["input_variables"]), sections=tuple(front["sections"]), role=role,
        case_types=tuple(case_types), system=parts["system"].strip(),
        user=parts["user"].strip(), sha256=hashlib.sha256(raw).hexdigest(), path=path, coverage=coverage,
        scope=scope, compose=compose, data=data)


def _data(value, declared: set[str], system: str, where: str) -> tuple[str, ...]:
    """The variables that carry record text: declared ones, every record variable among them, and a system part
    that tells the model about the fence."""
    value = value or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or set(value) - declared:
        raise TemplateInvalid(f"{where}: 'data' must list input variables that carry text from the records.")
    if unfenced := sorted((declared & RECORD_VARIABLES) - set(value)):
        raise TemplateInvalid(f"{where}: {', '.join(unfenced)} carry text from the records, so list them under "
                              "'data' (they are then given to the model fenced, as data).")
    if value and FENCE_OPEN not in system:
        raise TemplateInvalid(f"{where}: its system part must tell the model that records come between "
                              f"'{FENCE_OPEN} code>>>' and '{FENCE_CLOSE} code>>>' lines and are data, not instructions.")
    return tuple(value)


def _compose(value, sections: tuple[str, ...], where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every heading with the fact kinds it shows; each kind of fact placed under exactly one heading."""
    from summariser.reading.model import KINDS  # the reading owns the kinds; model.py imports nothing heavy
    if value is None:
        return ()
    if not isinstance(value, dict) or set(value) != set(sections):
        raise TemplateInvalid(f"{where}: 'compose' must give every section heading the kinds of fact it shows.")
    placed: list[str] = []
    for heading, kinds in value.items():
        kinds = kinds or []
        if not isinstance(kinds, list) or not all(k in KINDS or k == OVERVIEW for k in kinds):
            raise TemplateInvalid(f"{where}: compose heading '{heading}' may list only these kinds: "
                                  f"{', '.join(KINDS + (OVERVIEW,))}.")
        placed += kinds
    if sorted(placed) != sorted(set(KINDS) | ({OVERVIEW} & set(placed))):
        raise TemplateInvalid(f"{where}: 'compose' must place every kind of fact ({', '.join(KINDS)}) under "
                              "exactly one heading, and the overview at most once.")
    return tuple((heading, tuple(value[heading] or ())) for heading in sections)


def _coverage(value, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`coverage` maps each item a summary must cover to the phrases (regular expressions) that show a
    source or a draft mentions it."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise TemplateInvalid(f"{where}: 'coverage' must map each item to a list of trigger phrases.")
    items = []
    for item, triggers in value.items():
        if not isinstance(item, str) or not item.strip():
            raise TemplateInvalid(f"{where}: every 'coverage' item needs a name.")
        if not isinstance(triggers, list) or not triggers or not all(isinstance(t, str) and t for t in triggers):
            raise TemplateInvalid(f"{where}: coverage item '{item}' must have a non-empty list of trigger phrases.")
        for trigger in triggers:
            try:
                re.compile(trigger)
            except re.error as error:
                raise TemplateInvalid(f"{where}: coverage item '{item}' has a trigger that is not a valid "
                                      f"regular expression: '{trigger}' ({error}).") from error
        items.append((item, tuple(triggers)))
    return tuple(items)


class TemplateLibrary:
    """Every valid template in a folder; broken ones are kept out, each with its reason in `rejected`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.templates: dict[str, PromptTemplate] = {}
        self.rejected: dict[str, str] = {}
        for path in sorted(self.folder.glob("*.md")):
            try:
                template = parse_template(path)
                self.templates[template.name] = template
            except TemplateInvalid as error:
                self.rejected[path.name] = str(error)
                log.warning("prompt template refused: %s", error)
        if not self.templates:
            raise TemplateInvalid(f"No prompt templates were found in {self.folder}.")

    def get(self, name: str) -> PromptTemplate:
        try:
            return self.templates[name]
        except KeyError:
            raise TemplateNotFound(f"There is no template called '{name}'. "
                                   f"Choose one of: {', '.join(self.summary_names())}.") from None

    def summary_names(self, scope: str | None = "case") -> list[str]:
        """Summary templates an officer may choose; by default those that summarise a whole case."""
        return sorted(n for n, t in self.templates.items()
                      if t.role == "summary" and (scope is None or t.scope == scope))

    def for_scope(self, scope: str) -> list[str]:
        """Summary templates of one scope: "document" ones summarise a single letter or e-mail."""
        return self.summary_names(scope)

    def for_case_type(self, case_type: str, default: str = "case_summary") -> str:
        """The first (by name) whole-case summary template made for this case type, else the default."""
        for name in self.summary_names("case"):
            if case_type in self.templates[name].case_types:
                return name
        return default

    def names_with_role(self, role: str) -> list[str]:
        """Templates of one role, e.g. "update" for "what changed since the last approved summary"."""
        return sorted(n for n, t in self.templates.items() if t.role == role)
