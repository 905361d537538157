"""Prompt templates are files: front-matter plus a system and a user part, validated on load.

A template that is broken is refused with the reason, never half-used. Every
draft records the template's name, version and SHA-256 (of the file bytes),
and the SHA-256 of the prompt it rendered, so a supervisor can tell exactly
which words the model was given.
"""
from __future__ import annotations

import hashlib
import logging
import re
import string
from dataclasses import dataclass
from pathlib import Path

import yaml

from summariser.errors import TemplateInvalid, TemplateNotFound

REQUIRED = {"name", "version", "description", "input_variables", "sections"}
OPTIONAL = {"role", "case_types", "coverage", "scope", "compose"}
ROLES = {"summary", "internal", "update"}  # update: what changed since the last approved summary
SCOPES = {"case", "document"}  # document: the sources are one letter or e-mail, not the whole case
log = logging.getLogger(__name__)
# `compose`: which kinds of fact (summariser/reading) fill each heading of a draft composed from facts, and
# which heading opens with the model's overview. Every kind is placed once, so no fact is left out.
OVERVIEW = "overview"
PARTS = re.compile(r"^=== (system|user) ===[ \t]*$", re.MULTILINE)


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

    def render(self, **values: str) -> tuple[str, str]:
        """(system, user) with the variables filled in; a missing or extra variable is an error."""
        given, wanted = set(values), set(self.input_variables)
        if given != wanted:
            raise TemplateInvalid(f"Template '{self.name}' needs {sorted(wanted)}; got {sorted(given)}.")
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
    if front["name"] != path.stem:
        raise TemplateInvalid(f"{where}: its name '{front['name']}' must match the file name '{path.stem}'.")
    return PromptTemplate(
        name=front["name"], version=str(front["version"]), description=str(front["description"]),
        input_variables=tuple(front["input_variables"]), sections=tuple(front["sections"]), role=role,
        case_types=tuple(case_types), system=parts["system"].strip(),
        user=parts["user"].strip(), sha256=hashlib.sha256(raw).hexdigest(), path=path, coverage=coverage,
        scope=scope, compose=compose)


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
