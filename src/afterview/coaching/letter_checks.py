"""What a coach checks in each thank-you letter and across a panel's letters.

Each check reads the rendered letter (what the interviewer will read) against the client's
plan: the length, apologies and excuses, the greeting, the personal note, the doubt they
raised, what must not be answered in writing, doubled lead-ins, quoted task titles, the
story-bank number, and, across a panel, repeated paragraphs and strengths. Each finding says
what to change in one sentence. The greeting has its own module,
:mod:`afterview.coaching.greeting_checks`. The deadline and which letters exist are in
:mod:`afterview.coaching.checks`, which runs everything.
"""

from __future__ import annotations

import re

from afterview.coaching.content import LetterChecks, content
from afterview.coaching.findings import Finding, Level
from afterview.coaching.greeting_checks import check_greeting
from afterview.coaching.letters import Letter, message_text
from afterview.coaching.plans import (
    all_sent_on,
    find_phrases,
    is_started,
    normal,
    numbers,
    question_class,
    sent_on,
    story_for,
    strengths_for,
)
from afterview.record.schema import Record

__all__ = ["LONGEST", "SHORTEST", "TOO_LONG", "check_letter", "check_panel", "check_questions"]

SHORTEST, LONGEST, TOO_LONG = 100, 200, 250


def _phrases() -> LetterChecks:
    """The wording the checks look for: coaching content, in ``data/content.yaml``."""
    return content().letter_checks


def check_letter(record: Record, letter: Letter) -> list[Finding]:
    """Everything worth a second look in one letter: its words, then against its plan."""
    return _letter(record, letter) + _plan(record, letter)


def check_panel(record: Record, letters: list[Letter]) -> list[Finding]:
    """Panellists compare notes: no repeated letter, paragraph or choice of strengths."""
    return _sameness(record, letters)


def check_questions(record: Record) -> list[Finding]:
    """Weak questions: which belong in the next call, which went badly and are not answered."""
    return _reanswers(record)


# --- one letter -----------------------------------------------------------------------------


def _letter(record: Record, letter: Letter) -> list[Finding]:
    name = letter.interviewer.name
    findings = _length(letter)
    text = normal(letter.body)
    for phrase in find_phrases(text, _phrases().apology):
        findings.append(
            Finding(
                "warning",
                "apology",
                name,
                f"The letter to {name} says “{phrase}”. Apologies, excuses and talk of nerves "
                "pull attention back to what went wrong.",
                "Leave it out and say what you would add instead, in a confident, positive way.",
            )
        )
    for phrase in find_phrases(text, _phrases().misunderstood):
        findings.append(
            Finding(
                "warning",
                "misunderstood",
                name,
                f"The letter to {name} says “{phrase}”, which can sound as if the interviewer "
                "got it wrong.",
                "Take the point as your own: “I'd like to add to my answer on…” works better.",
            )
        )
    findings += check_greeting(record, letter)
    for part, value in (("company", record.interview.company), ("role", record.interview.role)):
        if normal(value).casefold() not in text.casefold():
            findings.append(
                Finding(
                    "warning",
                    f"missing-{part}",
                    name,
                    f"The letter to {name} does not name the {part} ({value}).",
                    f"Mention the {part} by name, so the note is clearly about this interview.",
                )
            )
    return findings


def _length(letter: Letter) -> list[Finding]:
    name = letter.interviewer.name
    words = letter.word_count
    if words < SHORTEST:
        return [
            Finding(
                "warning",
                "too-short",
                name,
                f"The letter to {name} is {words} words; 100-200 words reads as a real note.",
                "Add something specific you talked about, or one strength with a proof point.",
            )
        ]
    if words <= LONGEST:
        return []
    level: Level = "warning" if words <= TOO_LONG else "error"
    return [
        Finding(
            level,
            "too-long",
            name,
            f"The letter to {name} is {words} words; busy interviewers read 100-200 words.",
            "Keep one re-answer and two strengths, each in a sentence or two, and cut the rest.",
        )
    ]


# --- what the letter says, against its plan ---------------------------------------------------


def _plan(record: Record, letter: Letter) -> list[Finding]:
    """What a coach checks against the plan: the greeting's address, the personal note, the
    doubt, what not to answer in writing, the lead-ins, quoted titles and the story's number."""
    person = letter.interviewer
    name = person.name
    plan = record.plan_for(name)
    findings: list[Finding] = []

    def add(level: Level, code: str, message: str, fix: str) -> None:
        findings.append(Finding(level, code, name, message, fix))

    if not person.email:
        add(
            "warning",
            "no-email",
            f"There is no email address for {name}, so the draft's To: line is left empty.",
            "Add their address to the record (the recruiter can give it) or type it into the "
            "draft before sending.",
        )
    if not (plan.personal_note or plan.thank_for):
        add(
            "warning",
            "no-personal-note",
            f"The letter to {name} has nothing that only they would recognise.",
            f"Add what you want to thank {name} for, or a detail from your talk with them.",
        )
    if person.concern and not (plan.address_concern and plan.concern_answer):
        add(
            "warning",
            "concern-not-addressed",
            f"{name} seemed to doubt this: “{person.concern}”, and the letter does not answer it.",
            "Tick “answer their doubt” and name the gap briefly, then why it will not hold "
            "you back.",
        )
    findings += _not_in_writing(record, letter)
    lead_ins = find_phrases(letter.body, _phrases().lead_ins)
    if len(lead_ins) > 1:
        add(
            "warning",
            "doubled-lead-in",
            f"The letter to {name} announces an addition more than once "
            f"({', '.join(f'“{phrase}”' for phrase in lead_ins)}).",
            "Keep one lead-in and let the other paragraph start straight with its point.",
        )
    for question in record.questions:
        if not question.text.rstrip().endswith("?") and _quoted(question.text, letter.body):
            add(
                "warning",
                "quoted-task",
                f"The letter to {name} quotes the task title “{question.text}” as if it were "
                "a question.",
                "Name the exercise in your own words, for example “the scheduling exercise”.",
            )
    return findings + _story_number(record, letter)


def _quoted(text: str, body: str) -> bool:
    core = normal(text).strip().rstrip(".").casefold()
    return any(
        normal(q).strip().rstrip(".").casefold() == core
        for q in re.findall(r"[“\"‘]([^”\"’]+)[”\"’]", body)
    )


def _not_in_writing(record: Record, letter: Letter) -> list[Finding]:
    """A letter that answers again what belongs in the next call (pay, notice, start date…)."""
    name = letter.interviewer.name
    plan = record.plan_for(name)
    findings: list[Finding] = []
    kind = question_class(plan.question) if plan.question else None
    if kind is not None:
        findings.append(
            Finding(
                "warning",
                "not-in-writing",
                name,
                f"The letter to {name} comes back to “{plan.question}”: "
                f"{kind.label.lower()} is not answered in writing.",
                kind.next_call,
            )
        )
    written = f"{plan.reanswer} {plan.concern_answer}"
    for kind in content().question_classes:
        said = find_phrases(written, kind.letter_words)
        if said and not any(f.code == "not-in-writing" for f in findings):
            findings.append(
                Finding(
                    "warning",
                    "not-in-writing",
                    name,
                    f"The letter to {name} talks about {kind.label.lower()} (“{said[0]}”).",
                    kind.next_call,
                )
            )
    asked = next((q for q in record.questions if q.text == plan.question), None)
    if asked is not None and asked.went == "well" and plan.reanswer:
        findings.append(
            Finding(
                "warning",
                "reanswer-went-well",
                name,
                f"The letter to {name} adds to “{asked.text}”, which went well.",
                "Leave a good answer as it was and use the space for a strength they did not hear.",
            )
        )
    return findings


def _story_number(record: Record, letter: Letter) -> list[Finding]:
    """The re-answer leaves out the number the client already wrote in their story bank."""
    plan = record.plan_for(letter.interviewer.name)
    story = story_for(record, plan.question) if plan.question and plan.reanswer else None
    if story is None:
        return []
    found = numbers(story.result)
    if not found or set(found) & set(numbers(letter.body)):
        return []
    return [
        Finding(
            "warning",
            "missing-number",
            letter.interviewer.name,
            f"Your story bank gives a number for this answer ({story.result.strip()}), and the "
            f"letter to {letter.interviewer.name} leaves it out.",
            f"Add the result with its number ({', '.join(found)}) to your added answer.",
        )
    ]


# --- across letters and plans ---------------------------------------------------------------


def _paragraphs(letter: Letter) -> dict[str, str]:
    """Each paragraph of the message, keyed by its words in lower case, as written."""
    blocks = re.split(r"\n\s*\n", message_text(letter.body))
    return {" ".join(normal(b).casefold().split()): b.strip() for b in blocks if b.strip()}


def _sameness(record: Record, letters: list[Letter]) -> list[Finding]:
    """Panellists compare notes: no letter repeats another, or a paragraph of another."""
    findings: list[Finding] = []
    first_with: dict[str, str] = {}
    for letter in letters:
        name = letter.interviewer.name
        paragraphs = _paragraphs(letter)
        whole = " ".join(paragraphs)
        shared = [p for p in paragraphs if first_with.get(p, name) != name]
        if whole in first_with and first_with[whole] != name:
            findings.append(
                Finding(
                    "warning",
                    "same-letter",
                    name,
                    f"The letter to {name} says the same as the one to {first_with[whole]}.",
                    "Make each note personal: add one thing you talked about with this person.",
                )
            )
        elif shared:
            findings.append(
                Finding(
                    "warning",
                    "shared-paragraph",
                    name,
                    f"The letter to {name} has a paragraph that is also in the letter to "
                    f"{first_with[shared[0]]} (“{paragraphs[shared[0]][:60]}…”).",
                    "Rewrite that paragraph around what this person asked or told you.",
                )
            )
        for key in (whole, *paragraphs):
            first_with.setdefault(key, name)
    return findings + _same_strengths(record, letters)


def _same_strengths(record: Record, letters: list[Letter]) -> list[Finding]:
    chosen = [
        frozenset(s.requirement for s in strengths_for(record, letter.interviewer.name))
        for letter in letters
    ]
    if len(chosen) < 2 or not chosen[0] or len(set(chosen)) > 1:
        return []
    return [
        Finding(
            "warning",
            "same-strengths",
            None,
            f"All {len(chosen)} letters add the same strengths "
            f"({', '.join(sorted(chosen[0]))}), and panellists compare notes.",
            "Give each person the one or two strengths that fit what they asked about, or "
            "leave the choice empty and the workbook varies them.",
        )
    ]


def _reanswers(record: Record) -> list[Finding]:
    """Suggest a re-answer only for a question that went badly; the next-call kinds never."""
    findings: list[Finding] = []
    for question in record.questions:
        person = question.asked_by
        plan = record.plan_for(person) if person else None
        if question.went == "well" or (person and sent_on(record, person)):
            continue
        kind = question_class(question.text)
        if kind is not None:
            findings.append(
                Finding(
                    "info",
                    "next-call",
                    person,
                    f"“{question.text}” is for the next call, not the letter.",
                    kind.next_call,
                )
            )
        elif (
            question.went == "badly"
            and plan is not None
            and is_started(plan)
            and not plan.reanswer
            and not (plan.address_concern and plan.concern_answer)
        ):
            findings.append(
                Finding(
                    "info",
                    "nothing-reanswered",
                    person,
                    f"“{question.text}” went badly, and the letter to {person} does not come "
                    "back to it.",
                    "Add two or three sentences that answer it better, starting with your "
                    "example and its number.",
                )
            )
        elif question.went == "badly" and person is None and not _revisited(record, question.text):
            findings.append(
                Finding(
                    "info",
                    "nothing-reanswered",
                    None,
                    f"“{question.text}” went badly, and no letter comes back to it.",
                    "Pick the interviewer who asked it and add a short, better answer to their "
                    "letter.",
                )
            )
    return findings


def _revisited(record: Record, question: str) -> bool:
    return all_sent_on(record) is not None or any(
        plan.question == question for plan in record.letters.plans
    )
