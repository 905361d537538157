"""How much personal data the redaction hides, per kind: recall and precision.

    python -m evals.redaction                      # Presidio's synthetic set, generated UK case notes, the demo
    python -m evals.redaction --uk 500 --seed 7    # more generated notes, another draw

Three sets, all run through what an external model's requests go through (summariser/privacy: the
detector, then every other occurrence of what it found):

1. `../shared/corpus/pii/presidio-synth`: 1,000 synthetic texts with labelled spans (US-centric: no UK
   identifiers). Read at run time, never copied.
2. UK case notes generated here (`uk_notes`): names, addresses, postcodes, NI and NHS numbers (with valid
   checksums, and mistyped ones labelled "NHS number"), dates of birth, phone numbers, e-mails and case
   references in the layouts case files use, between sentences with no personal data (dates, amounts, the
   DWP, Universal Credit) that must stay in clear. The recognisers were written from the demo caseload, not
   from these templates, but both are ours: this set checks the UK rules, it does not prove them.
3. The demo caseload (demo/files, text files): every demo person's name, searched for after redaction
   without telling the redactor who the case is about (a draft does tell it).

Recall: share of labelled spans hidden entirely (every letter and digit replaced); "token recall" counts
words. Precision: share of hidden stretches, by the kind the redactor gave them, that overlap a labelled span
of any kind (the sets label only personal data). Kinds the redaction leaves in clear on purpose (dates other
than dates of birth, organisations, titles, ages, nationalities) are listed, not counted in the goal.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evals.dataset import CORPUS_DIR
from evals.report import table
from settings import PROJECT_ROOT
from summariser.privacy.pseudonyms import Found, Pseudonyms
from summariser.privacy.recognisers import nhs_checksum_ok

SYNTH = CORPUS_DIR / "pii" / "presidio-synth" / "synth_dataset_v2.dev.json"
DEMO = PROJECT_ROOT / "demo"
RESULTS = PROJECT_ROOT / "evals" / "results"
GOAL = 0.95
# Labelled kinds the redaction does not hide, by design: a case summary is about dates, organisations and
# roles; a nationality or religion is kept for the same reason (interpreters, adjustments).
NOT_HIDDEN = {"DATE_TIME", "ORGANIZATION", "TITLE", "AGE", "NRP", "DOMAIN_NAME", "US_DRIVER_LICENSE"}


@dataclass
class Labelled:
    text: str
    spans: list[tuple[int, int, str]]  # start, end, kind


@dataclass
class Tally:
    spans: int = 0
    hidden: int = 0
    tokens: int = 0
    tokens_hidden: int = 0

    def recall(self) -> float | None:
        return self.hidden / self.spans if self.spans else None

    def token_recall(self) -> float | None:
        return self.tokens_hidden / self.tokens if self.tokens else None


@dataclass
class Scores:
    recall: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    found: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # kind: [right, all]
    seconds: float = 0.0
    texts: int = 0


def load_synth(path: Path = SYNTH) -> list[Labelled]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [Labelled(r["full_text"], [(s["start_position"], s["end_position"], s["entity_type"])
                                      for s in r["spans"]]) for r in records]


def score(texts: list[Labelled], finder) -> Scores:
    scores = Scores()
    started = time.monotonic()
    for item in texts:
        hidden = Pseudonyms().hide(item.text, finder)
        covered = bytearray(len(item.text))
        for h in hidden:
            covered[h.start:h.end] = b"\x01" * (h.end - h.start)
        for start, end, kind in item.spans:
            tally = scores.recall[kind]
            words = [m.span() for m in re.finditer(r"\w+", item.text[start:end])]
            tally.spans += 1
            tally.hidden += all(covered[start + a:start + b].count(1) == b - a for a, b in words)
            tally.tokens += len(words)
            tally.tokens_hidden += sum(covered[start + a:start + b].count(1) == b - a for a, b in words)
        for h in hidden:
            right = any(h.start < end and start < h.end for start, end, _ in item.spans)
            scores.found[h.entity][0] += right
            scores.found[h.entity][1] += 1
    scores.seconds = time.monotonic() - started
    scores.texts = len(texts)
    return scores


# ---- generated UK case notes --------------------------------------------------------------------------------
FIRST = ["Denise", "Gareth", "Aisha", "Priya", "Mohammed", "Siobhan", "Callum", "Olumide", "Agnieszka", "Tomasz",
         "Bethan", "Rhys", "Fatima", "Hamza", "Chloe", "Kieran", "Irena", "Samira", "Terence", "Leanne", "Albert",
         "Nathan", "Darren", "Jade", "Grace", "Oluwaseun", "Mei", "Ravinder", "Eilidh", "Declan", "Niamh",
         "Abdirahman", "Hodan", "Ewa", "Ciaran", "Yusuf", "Harpreet", "Zainab", "Lewis", "Morag"]
LAST = ["Harrowby", "Pryce", "Begum", "Patel", "Okafor", "Kowalczyk", "Doyle", "Haddad", "Mowbray", "Fairclough",
        "Fenwick", "Birch", "Whitlock", "Moorcroft", "Nowak", "Adeyemi", "Chaudhry", "McAllister", "O'Neill",
        "Jones", "Evans", "Campbell", "Hussain", "Wiśniewska", "Mahamud", "Singh", "Ferguson", "Llewellyn",
        "Brannigan", "Achterberg", "Oyelaran", "Khan", "Reid", "Gallagher", "Thompson", "Yilmaz"]
STREETS = ["Wexford Street", "Chapel Lane", "Orchard Close", "Tollgate Crescent", "Millbrook Lane", "Foxglove Way",
           "Tenter Street", "Station Road", "Victoria Avenue", "Holly Grove", "Castle Hill", "Cromwell Terrace",
           "Brunswick Square", "Mill Walk", "Bridge Street", "Kingsway Gardens", "Park View", "Elm Drive"]
BUILDINGS = ["Kingfisher Court", "Beacon House", "Riverside Lodge", "Alder Court", "Ashby House"]
TOWNS = ["Kelderby", "Hollinsbridge", "Ravensmoor", "Leeds", "Cardiff", "Bradford", "Swansea", "Glasgow",
         "Luton", "Middlesbrough", "Wrexham", "Derby", "Norwich", "Sunderland", "Belfast"]
PLAIN = ["The award was reduced by £120.50 a month from 1 April 2025 following the review.",
         "Universal Credit was paid on 12/03/2025 into the usual account.",
         "The Department for Work and Pensions wrote on 4 May 2025 asking for payslips.",
         "A Section 42 enquiry was opened and the strategy meeting is booked for next week.",
         "Rent arrears stood at £1,872.90 on 30 June 2025, against a weekly rent of £96.40.",
         "The tenancy agreement was signed on 2 February 2024 for an assured shorthold tenancy.",
         "The mandatory reconsideration was received on 14 January 2025 and is due within 28 days.",
         "Housing Benefit was suspended while the change of circumstances was checked.",
         "The occupational therapist recommended a grab rail and a bath seat.",
         "Payment of £412.67 was made on 03/03/2025 and a further £200 is due at the end of the month.",
         "The council's Adult Social Care team will review the care plan in six weeks.",
         "No further action is needed until the tribunal hearing on 9 September 2025."]


def _nino(rng: random.Random) -> str:
    letters = rng.choice(["QQ", "AB", "JK", "NZ", "TW", "CE", "SP", "HL"])
    digits = [f"{rng.randint(0, 99):02d}" for _ in range(3)]
    suffix = rng.choice("ABCD")
    return rng.choice([f"{letters} {' '.join(digits)} {suffix}", f"{letters}{''.join(digits)}{suffix}",
                       f"{letters}{''.join(digits)} {suffix}"])


def _nhs(rng: random.Random, valid: bool = True) -> str:
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(10))
        if nhs_checksum_ok(digits) == valid:
            return rng.choice([f"{digits[:3]} {digits[3:6]} {digits[6:]}", digits,
                               f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"])


def _postcode(rng: random.Random) -> str:
    area = rng.choice(["KX", "LS", "CF", "BD", "SA", "G", "LU", "TS", "LL", "DE", "NR", "SR", "BT", "SW", "M", "E"])
    inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    return f"{area}{rng.randint(1, 20)}{rng.choice([' ', ' ', ''])}{inward}"


def _phone(rng: random.Random) -> str:
    return rng.choice([f"01632 960{rng.randint(0, 999):03d}", f"07700 900{rng.randint(0, 999):03d}",
                       f"+44 7700 900{rng.randint(0, 999):03d}", f"(0113) 496 0{rng.randint(0, 999):03d}",
                       f"020 7946 0{rng.randint(0, 999):03d}", f"0161 496 0{rng.randint(0, 999):03d}",
                       f"07700900{rng.randint(0, 999):03d}"])


def _date(rng: random.Random, year_from: int = 1935, year_to: int = 2006) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(year_from, year_to)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    return rng.choice([f"{day:02d}/{month:02d}/{year}", f"{day} {months[month - 1]} {year}",
                       f"{year}-{month:02d}-{day:02d}", f"{day}.{month}.{year}"])


def _address(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return f"Flat {rng.randint(1, 40)}, {rng.choice(BUILDINGS)}"
    return f"{rng.randint(1, 240)}{rng.choice(['', '', 'A'])} {rng.choice(STREETS)}"


def uk_notes(n: int, seed: int = 14) -> list[Labelled]:
    """n generated case notes, each a few sentences with labelled UK personal data among plain ones."""
    rng = random.Random(seed)
    notes = []
    for _ in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        other_first, other_last = rng.choice(FIRST), rng.choice(LAST)
        title = rng.choice(["Mr", "Mrs", "Ms", "Miss", "Dr"])
        town = rng.choice(TOWNS)
        ref = f"{rng.choice(['BR', 'HS', 'AS', 'PS'])}-{rng.randint(2023, 2026)}-{rng.randint(1, 1999):04d}"
        templates = [
            [("Home visit to ", None), (f"{first} {last}", "PERSON"), (" at ", None), (_address(rng), "STREET_ADDRESS"),
             (", ", None), (town, "LOCATION"), (" ", None), (_postcode(rng), "UK_POSTCODE"), (".", None)],
            [("| National Insurance number | ", None), (_nino(rng), "UK_NINO"), (" |", None)],
            [(f"{first} {last}", "PERSON"), (", date of birth ", None), (_date(rng), "DATE_OF_BIRTH"),
             (", NHS number ", None), (_nhs(rng, valid=rng.random() < 0.7), "UK_NHS"), (".", None)],
            [("Please call ", None), (first, "PERSON"), (" on ", None), (_phone(rng), "PHONE_NUMBER"),
             (" or e-mail ", None), (f"{first}.{last}@example.org".lower().replace("'", ""), "EMAIL_ADDRESS"),
             (".", None)],
            [("Our reference: ", None), (ref, "CASE_REFERENCE")],
            [(f"Dear {title} ", None), (last, "PERSON"), (",", None)],
            [("I spoke to ", None), (f"{other_first} {other_last}", "PERSON"),
             (" from the housing team about the repairs.", None)],
            [("The claimant, ", None), (f"{first} {last}", "PERSON"), (" (NI ", None), (_nino(rng), "UK_NINO"),
             ("), has lived at ", None), (_address(rng), "STREET_ADDRESS"), (" since 2019.", None)],
            [("DOB: ", None), (_date(rng), "DATE_OF_BIRTH")],
            [(first, "PERSON"), (" was born on ", None), (_date(rng), "DATE_OF_BIRTH"), (" in ", None),
             (town, "LOCATION"), (".", None)],
            [("Emergency contact: ", None), (f"{other_first} {other_last}", "PERSON"), (" (daughter), ", None),
             (_phone(rng), "PHONE_NUMBER")],
            [("Patient ", None), (_nhs(rng, valid=True), "UK_NHS"), (" was discharged to ", None),
             (town, "LOCATION"), (".", None)],
            [(f"{title} ", None), (last, "PERSON"), (" said that ", None), (other_first, "PERSON"),
             (" has moved out of the property.", None)],
            [("Please quote ", None), (ref, "CASE_REFERENCE"), (" on any letter to ", None),
             (f"{first} {last}", "PERSON"), (".", None)],
        ]
        parts: list[tuple[str, str | None]] = []
        chosen = rng.sample(templates, rng.randint(2, 4)) + [[(p, None)] for p in rng.sample(PLAIN, 2)]
        rng.shuffle(chosen)
        for sentence in chosen:
            parts += sentence + [("\n" if rng.random() < 0.5 else " ", None)]
        text, spans = "", []
        for piece, kind in parts:
            if kind:
                spans.append((len(text), len(text) + len(piece), kind))
            text += piece
        notes.append(Labelled(text, spans))
    return notes


# ---- the demo caseload ------------------------------------------------------------------------------------------
def demo_names_in_clear(finder) -> tuple[int, int, list[str]]:
    """Occurrences of the demo persons' names (full names and surnames) in the demo's text files, and how many
    are still in clear after redaction that is not told the names."""
    persons = json.loads((DEMO / "caseload.json").read_text(encoding="utf-8"))["persons"]
    names = {p["full_name"] for p in persons} | {p["full_name"].split()[-1] for p in persons}
    pattern = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    seen = left = 0
    examples = []
    for path in sorted((DEMO / "files").rglob("*")):
        if path.suffix not in (".txt", ".md", ".eml"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        redacted = Pseudonyms().redact(text, finder)
        seen += len(pattern.findall(text))
        for match in pattern.finditer(redacted):
            left += 1
            if len(examples) < 8:
                around = redacted[max(0, match.start() - 40):match.end() + 20]
                examples.append(f"{path.parent.name}/{path.name}: …{around}…")
    return seen, left, examples


def report(name: str, scores: Scores) -> tuple[str, dict]:
    rows, data = [], {"texts": scores.texts, "seconds": round(scores.seconds, 1), "recall": {}, "precision": {}}
    for kind, tally in sorted(scores.recall.items(), key=lambda kv: (kv[0] in NOT_HIDDEN, kv[0])):
        aim = ("left in clear by design" if kind in NOT_HIDDEN
               else "meets goal" if tally.recall() >= GOAL else "below goal")
        rows.append([kind, tally.spans, f"{tally.recall():.3f}", f"{tally.token_recall():.3f}", aim])
        data["recall"][kind] = {"spans": tally.spans, "recall": round(tally.recall(), 4),
                                "token_recall": round(tally.token_recall(), 4)}
    precision_rows = []
    for kind, (right, total) in sorted(scores.found.items()):
        precision_rows.append([kind, total, f"{right / total:.3f}"])
        data["precision"][kind] = {"found": total, "precision": round(right / total, 4)}
    in_scope = [t for k, t in scores.recall.items() if k not in NOT_HIDDEN]
    pooled = sum(t.hidden for t in in_scope) / max(1, sum(t.spans for t in in_scope))
    right, total = (sum(v[i] for v in scores.found.values()) for i in (0, 1))
    data["recall_in_scope"], data["precision_all"] = round(pooled, 4), round(right / max(1, total), 4)
    text = (f"## {name} ({scores.texts} texts, {scores.seconds:.1f} s)\n\n"
            + table(["labelled kind", "spans", "recall", "token recall", ""], rows)
            + f"\n\nRecall over the kinds it hides: {pooled:.3f}. "
            + f"Precision over all it hid: {right / max(1, total):.3f}.\n\n"
            + table(["hidden as", "stretches", "precision"], precision_rows) + "\n")
    return text, data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synth", type=Path, default=SYNTH, help="Presidio's synthetic set (JSON)")
    parser.add_argument("--uk", type=int, default=300, help="how many UK case notes to generate")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--no-write", action="store_true", help="print only; write nothing to evals/results/")
    args = parser.parse_args(argv)
    from summariser.privacy.detector import default_detector
    detector = default_detector()
    parts, data = [f"# Redaction of personal data ({time.strftime('%Y-%m-%d')})\n"], {}
    if args.synth.is_file():
        text, data["presidio_synth"] = report("Presidio synthetic set", score(load_synth(args.synth), detector))
        parts.append(text)
    else:
        parts.append(f"Presidio's synthetic set is not at {args.synth}: skipped (set CASEWORK_CORPUS_DIR).\n")
    text, data["uk_generated"] = report(f"Generated UK case notes (seed {args.seed})",
                                        score(uk_notes(args.uk, args.seed), detector))
    parts.append(text)
    seen, left, examples = demo_names_in_clear(detector)
    data["demo_names"] = {"occurrences": seen, "left_in_clear": left}
    parts.append(f"## Demo caseload\n\nDemo persons' names in the demo's text files: {seen}; left in clear after "
                 f"redaction not told the case's person: {left} ({1 - left / max(1, seen):.3f} hidden).\n"
                 + "".join(f"\n- {e}" for e in examples) + "\n")
    output = "\n".join(parts)
    print(output)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = RESULTS / f"redaction-{time.strftime('%Y-%m-%d')}"
        stem.with_suffix(".md").write_text(output, encoding="utf-8")
        stem.with_suffix(".json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        print(f"Written to {stem}.md and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
