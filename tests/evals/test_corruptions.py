"""Each corruption changes exactly what it says, deterministically, or says it cannot apply."""
from __future__ import annotations

import pytest

from evals.corruptions import (Person, case_people, change_date, change_name, change_number, negate,
                               other_case_sentence, person_names, swap_person)


@pytest.mark.parametrize("sentence, expected", [
    ("Seen on 03/01/2021 for review.", "Seen on 05/01/2021 for review."),
    ("Seen on 11/12/2021 for review.", "Seen on 09/12/2021 for review."),   # 13 is no month: down instead
    ("Blood work in 01/2020 was low.", "Blood work in 03/2020 was low."),
    ("Scan on 2021-03-27 was clear.", "Scan on 2021-03-25 was clear."),
    ("Seen on 3 March 2025 at home.", "Seen on 5 March 2025 at home."),
    ("Seen on March 3rd, 2025 at home.", "Seen on March 5th, 2025 at home."),
    ("Symptoms began in March.", "Symptoms began in September."),
    ("She had a hysterectomy in 1996.", "She had a hysterectomy in 1994."),
    ("She reports fatigue and chills.", None),
    ("A 2/6 systolic murmur is heard.", None),  # a murmur grade is no date
])
def test_change_date(sentence, expected):
    assert change_date(sentence) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Increase Lasix to 80 mg daily.", "Increase Lasix to 120 mg daily."),
    ("He is a 58-year-old male.", "He is a 87-year-old male."),
    ("Ejection fraction of 4.5 today.", "Ejection fraction of 9.0 today."),
    ("It has lasted five weeks.", "It has lasted ten weeks."),
    ("Rent of $1,200 is due.", "Rent of $1,800 is due."),
    ("Seen in 1996 with 2 visits.", "Seen in 1996 with 4 visits."),  # the year is a date, not the number
    ("Fatigue began in 2019.", None),
    ("She reports fatigue.", None),
])
def test_change_number(sentence, expected):
    assert change_number(sentence) == expected


NOTE = ("Mrs. Christina Cooper is a 65-year-old female.\n"
        "Brian White is a 58-year-old male who saw Dr. Henry.\n"
        "Medical Reasoning: The patient is stable.")


def test_person_names_are_titled_or_introduced_names_only():
    assert person_names(NOTE) == ["Christina", "Cooper", "Brian", "Henry", "White"]  # not "Medical Reasoning"


def test_change_name_replaces_every_known_name_word():
    names = person_names(NOTE)
    assert change_name("Mrs. Cooper reports fatigue.", names) == "Mrs. Quenby reports fatigue."
    assert change_name("Brian White saw Dr. Henry.", names) == "Quenby Ashdown saw Dr. Tregarthen."
    assert change_name("The patient reports fatigue.", names) is None


@pytest.mark.parametrize("sentence, expected", [
    ("She denies chest pain.", "She reports chest pain."),
    ("He does not smoke.", "He does smoke."),
    ("The pain is not severe.", "The pain is severe."),
    ("No evidence of fracture was seen.", "Evidence of fracture was seen."),
    ("No fever today.", "Some fever today."),
    ("The patient reports a slight cough.", "The patient denies a slight cough."),
    ("His blood pressure is well controlled.", "His blood pressure is not well controlled."),
    ("She has been having headaches.", "She has not been having headaches."),
    ("He has a history of anemia.", "He does not have a history of anemia."),
    ("He has experienced some cramps.", "He has not experienced some cramps."),
    ("Continue lisinopril 20 mg daily.", "Discontinue lisinopril 20 mg daily."),
    ("Bilateral lower extremity edema.", None),
])
def test_negate(sentence, expected):
    assert negate(sentence) == expected


def test_other_case_sentence_skips_what_this_case_also_says():
    own = "The patient agrees with the plan. She has anemia."
    candidates = ["The patient agrees with the plan.", "He fell off a ladder at work."]
    assert other_case_sentence("She has anemia.", candidates, own) == "He fell off a ladder at work."
    assert other_case_sentence("She has anemia.", candidates[:1], own) is None


def test_corruptions_are_deterministic():
    sentence = "On 03/01/2021 Mrs. Cooper reports 5 episodes."
    names = person_names(NOTE)
    assert [change_date(sentence), change_number(sentence), change_name(sentence, names), negate(sentence)] == \
           [change_date(sentence), change_number(sentence), change_name(sentence, names), negate(sentence)]
    assert change_number(sentence) == "On 03/01/2021 Mrs. Cooper reports 10 episodes."


PEOPLE_NOTE = ("Mrs. Christina Cooper is a 65-year-old female.\nMrs. Cooper saw Dr. Henry Howard today.\n"
               "Dr. Howard reviewed her labs.")


def test_case_people_gather_the_forms_of_each_name():
    assert case_people(PEOPLE_NOTE) == [Person("Cooper", "Christina", "Mrs."), Person("Howard", "Henry", "Dr.")]
    assert case_people(NOTE)[:2] == [Person("Cooper", "Christina", "Mrs."), Person("White", "Brian", None)]


@pytest.mark.parametrize("sentence, expected", [
    ("Mrs. Cooper reports fatigue.", "Dr. Howard reports fatigue."),
    ("Mrs Cooper reports fatigue.", "Dr. Howard reports fatigue."),  # the title written without its dot
    ("Christina Cooper reports fatigue.", "Henry Howard reports fatigue."),
    ("Dr. Howard reviewed her labs.", "Mrs. Cooper reviewed her labs."),
    ("The patient reports fatigue.", None),
    ("Cooper reports fatigue.", None),  # a surname alone is not a person the swap can be sure of
])
def test_swap_person_puts_another_person_of_the_case_in_the_same_form(sentence, expected):
    assert swap_person(sentence, case_people(PEOPLE_NOTE)) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Mr Jason Harrowby phoned the hub.", "Mrs Jordan Harrowby phoned the hub."),
    ("Mr Harrowby phoned the hub.", "Mrs Harrowby phoned the hub."),
    ("Jason Harrowby phoned the hub.", "Jordan Harrowby phoned the hub."),
])
def test_with_one_person_in_the_case_a_relative_of_the_same_surname_is_swapped_in(sentence, expected):
    assert swap_person(sentence, [Person("Harrowby", "Jason", "Mr")]) == expected
