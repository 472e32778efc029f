"""What goes into each interviewer's letter, decided before a word of it is rendered.

The greeting (how to call them), whether their letter is started or sent, which questions a
letter may answer again and which belong in the next call, which strengths go to whom across
a panel, and the story-bank numbers a re-answer should carry. The workbook's forms call the
``suggest_*`` functions to pre-fill a field for the client to accept or edit; the letter
template and the checks read the rest.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from afterview.coaching.content import QuestionClass, content
from afterview.coaching.templating import SMALL_WORDS, clause, first_person, sentence
from afterview.record.schema import (
    Formality,
    Interviewer,
    LetterPlan,
    Question,
    Record,
    StarStory,
    Strength,
)

__all__ = [
    "TITLES",
    "Status",
    "all_sent_on",
    "find_phrases",
    "greeting_name",
    "is_started",
    "next_call_questions",
    "normal",
    "numbers",
    "planned",
    "proof_sentence",
    "question_class",
    "reanswer_options",
    "sent_on",
    "status",
    "story_for",
    "strengths_for",
    "suggest_call_them",
    "suggest_sentence",
]

TITLES = frozenset(
    {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "rev", "judge"}
)
"""Words that, leading a name, mean the letter should say "Dear Dr Raman", not "Dear Dr"."""

Status = Literal["not started", "draft", "sent"]


# --- greeting -------------------------------------------------------------------------------


def _title_and_rest(name: str) -> tuple[str, list[str]]:
    words = name.split()
    if len(words) > 1 and words[0].rstrip(".").casefold() in TITLES:
        return words[0], words[1:]
    return "", words


def suggest_call_them(name: str, formality: Formality = "first name") -> str:
    """The name after "Dear", from the full name: the given name, or title and whole surname.

    "Dr Juan de la Cruz" -> "Dr de la Cruz", "Ms Aoife Ní Bhriain" -> "Ms Ní Bhriain". Without
    a title in the name, the formal choice is the full name (a title is never guessed); a
    given name of two words ("Nurul Huda") cannot be told from a surname, so the client
    writes it in ``call_them``.
    """
    title, rest = _title_and_rest(name)
    if title and (formality == "title and surname" or len(rest) == 1):
        return f"{title} {' '.join(rest[1:] or rest)}"
    if formality == "title and surname":
        return " ".join(rest)
    return rest[0]


def greeting_name(person: Interviewer, default: Formality = "first name") -> str:
    """How the letter to ``person`` greets them: their ``call_them``, else from the name.

    The formality is theirs, else "title and surname" when the name starts with a title,
    else ``default`` (the practice's, ``record.letters.formality``).
    """
    if person.call_them:
        return person.call_them
    titled = bool(_title_and_rest(person.name)[0])
    formality = person.formality or ("title and surname" if titled else default)
    return suggest_call_them(person.name, formality)


# --- status ---------------------------------------------------------------------------------


def is_started(plan: LetterPlan) -> bool:
    """Has the client written anything a letter could be made of?"""
    return any(
        (plan.thank_for, plan.personal_note, plan.reanswer, plan.concern_answer, plan.strengths)
    )


def planned(record: Record) -> list[Interviewer]:
    """The interviewers whose letter is started, in record order (the others get no draft)."""
    return [p for p in record.interviewers if is_started(record.plan_for(p.name))]


def sent_on(record: Record, name: str) -> dt.date | None:
    """The day the letter to ``name`` went out (its own date, else the old whole-record one)."""
    return record.plan_for(name).sent_on or record.letters.sent_on


def status(record: Record, name: str) -> Status:
    if sent_on(record, name) is not None:
        return "sent"
    return "draft" if is_started(record.plan_for(name)) else "not started"


def all_sent_on(record: Record) -> dt.date | None:
    """The day the last letter went out, once every interviewer's letter is sent; else None."""
    days = [sent_on(record, person.name) for person in record.interviewers]
    return None if None in days else max(day for day in days if day is not None)


# --- what a letter may answer again ---------------------------------------------------------


def normal(text: str) -> str:
    """NFC text with curly apostrophes straightened, so "didn’t" matches "didn't"."""
    return unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")


def find_phrases(text: str, phrases: Iterable[str]) -> list[str]:
    """Each phrase found in ``text`` as whole words (case-insensitive), as written there.

    A phrase that is part of a longer one found ("I blew" in "I blew it") is not repeated.
    """
    text = normal(text)
    hits: list[tuple[int, int, str]] = []
    for phrase in phrases:
        words = [re.escape(word) for word in normal(phrase).split()]
        pattern = r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])"
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            hits.append((match.start(), match.end(), match.group(0)))
    hits.sort(key=lambda hit: (hit[0], -hit[1]))
    kept: list[str] = []
    end = -1
    for start, stop, found in hits:
        if start >= end:
            kept.append(" ".join(found.split()))
            end = stop
    first: dict[str, str] = {}
    for found in kept:
        first.setdefault(found.casefold(), found)
    return list(first.values())


def question_class(text: str) -> QuestionClass | None:
    """The kind of question never answered again in writing that ``text`` is, if any."""
    kinds = content().question_classes
    return next((kind for kind in kinds if find_phrases(text, kind.words)), None)


def next_call_questions(record: Record, name: str | None = None) -> list[Question]:
    """Weak questions (asked by ``name``, or by anyone) that belong in the next call."""
    return [
        q
        for q in record.weak_questions()
        if question_class(q.text) and (name is None or q.asked_by == name)
    ]


def reanswer_options(record: Record, name: str) -> list[Question]:
    """The questions ``name`` asked that a letter may add to: not well, not a next-call one;
    the ones that went badly first."""
    options = [
        q for q in record.weak_questions() if q.asked_by == name and question_class(q.text) is None
    ]
    return sorted(options, key=lambda q: q.went != "badly")


# --- strengths ------------------------------------------------------------------------------

_IRREGULAR_PAST = frozenset(  # word lists read better than a hundred one-word lines
    """
began brought built chose cut drew found gave got grew held kept led made met oversaw put ran
read sent set sold spoke taught took won wrote
    """.split()  # noqa: SIM905
)
_DESCRIBES = frozenset(
    """
accredited bilingual certified chartered comfortable confident experienced familiar fluent
licensed proficient qualified registered skilled trilingual
    """.split()  # noqa: SIM905
)
"""First words after which the client describes themselves: "I am fluent in …"."""
_PRESENT_VERBS = frozenset(
    """
build chair coach design develop host lead maintain manage mentor organise organize own review
run support teach train volunteer write
    """.split()  # noqa: SIM905
)
"""Verbs a fragment may start with in the present: "…; maintain a library"."""
_ROLES = frozenset(
    """
adviser advisor analyst architect assistant author chair champion consultant coordinator
designer developer director editor engineer founder head intern lead leader manager member
mentor officer owner representative researcher scientist speaker sponsor supervisor teacher
trainer tutor volunteer
    """.split()  # noqa: SIM905
)
"""Words that make a fragment a role held: "Product lead for two audits" -> "I was product lead"."""
_COURSES = frozenset({"bootcamp", "course", "programme", "program", "training", "workshop"})
_HELD = frozenset({"certificate", "certification", "degree", "diploma", "licence", "license"})
_YEARS_DOING = re.compile(r"^\w+ years? \w+ing\b", re.IGNORECASE)


def suggest_sentence(fragment: str) -> str:
    """A CV-style proof point as a sentence in the client's voice, for them to accept or edit.

    "Built the churn model that cut losses by 9 %" -> "I built the churn model …"; "Seven years
    of SQL; maintain a library" -> "I have seven years of SQL, and I maintain a library."
    """
    parts = [part.strip(" .") for part in fragment.split(";") if part.strip(" .")]
    said = [_first_person_part(part, index) for index, part in enumerate(parts)]
    return sentence(", and ".join(said)) if said else ""


def _lower(text: str) -> str:
    """The first letter in lower case, unless the word is an acronym ("ICPAK", "iOS")."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _head(part: str) -> list[str]:
    """The words before the first linking word: "Product lead" of "Product lead for two …"."""
    words = []
    for word in part.casefold().split():
        if word in SMALL_WORDS or word in {"of", "to"}:
            break
        words.append(word.strip(",()"))
    return words


def _first_person_part(part: str, index: int) -> str:
    if first_person(part) != sentence(part):
        return first_person(part).rstrip(".")
    first, _, rest = part.partition(" ")
    word = first.casefold()
    if word in {"i", "i'm", "i've", "my", "we", "our"}:
        return part if index == 0 or word.startswith("i") else clause(part)
    if word in _DESCRIBES:
        return f"I am {_lower(part)}"
    if word in _IRREGULAR_PAST or (word.endswith("ed") and len(word) > 4):
        return f"I {_lower(first)} {rest}".rstrip()
    if word in _PRESENT_VERBS and (index > 0 or word not in _ROLES):
        return f"I {_lower(part)}"
    if index > 0 and word in SMALL_WORDS:
        return clause(part)
    if index > 0 and first[0].islower():
        return part  # a clause of its own: "annual revenue grew …"
    if _YEARS_DOING.match(part):
        return f"I have spent {_lower(part)}"
    if word in {"a", "an", "the"}:
        return f"my work includes {_lower(part)}"
    if word in SMALL_WORDS or word.isdigit():
        return f"I have {_lower(part)}"
    if _ROLES & set(_head(part)):
        return f"I was {_lower(part)}"
    if _COURSES & set(_head(part)):
        return f"I completed the {part}"
    if _HELD & set(_head(part)):
        return f"I hold the {part}"
    return f"my work includes {part}"


def proof_sentence(strength: Strength) -> str:
    """What the letter says for a strength: the client's sentence, else the suggested one."""
    return sentence(strength.sentence) if strength.sentence else suggest_sentence(strength.evidence)


def _probed(record: Record, name: str, went: Iterable[str]) -> set[str]:
    allowed = set(went)
    return {q.requirement for q in record.questions if q.asked_by == name and q.went in allowed} - {
        ""
    }


def strengths_for(record: Record, name: str) -> list[Strength]:
    """The strengths the letter to ``name`` adds: the plan's choice, else chosen for them."""
    return _choices(record).get(name, [])


def _choices(record: Record) -> dict[str, list[Strength]]:
    """Every started letter's strengths, chosen in record order so a panel gets different ones.

    A plan's own choice is kept. Otherwise: strengths with a proof, never one this person
    already heard well. First what they probed, then the ones marked for the letters, then
    those with the client's own sentence, then the ones nobody saw, each time preferring one
    the earlier letters did not use. One strength when the letter already answers a question
    or a doubt, two when it does not.
    """
    by_requirement = {s.requirement: s for s in record.strengths.map}
    used: dict[str, int] = {}
    chosen: dict[str, list[Strength]] = {}
    for person in planned(record):
        plan = record.plan_for(person.name)
        if plan.strengths:
            picks = [by_requirement[r] for r in plan.strengths if r in by_requirement]
        else:
            heard = _probed(record, person.name, ["well"])
            probed = _probed(record, person.name, ["mixed", "badly"])
            pool = [
                (index, s)
                for index, s in enumerate(record.strengths.map)
                if (s.sentence or s.evidence)
                and s.requirement not in heard
                and (s.requirement in probed or s.mention or not s.shown)
            ]
            pool.sort(
                key=lambda item: (
                    used.get(item[1].requirement, 0),
                    item[1].requirement not in probed,
                    not item[1].mention,
                    not item[1].sentence,
                    item[1].shown,
                    item[0],
                )
            )
            answers = bool(plan.reanswer or (plan.address_concern and plan.concern_answer))
            picks = [s for _, s in pool[: 1 if answers else 2]]
        for pick in picks:
            used[pick.requirement] = used.get(pick.requirement, 0) + 1
        chosen[person.name] = picks
    return chosen


# --- the story bank -------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_COMMON = frozenset(
    "what with your have about that this tell time would when there their".split()  # noqa: SIM905
)


def numbers(text: str) -> list[str]:
    """The numbers written in ``text``, as written ("40", "1.2", "13485")."""
    return _NUMBER.findall(text)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in _COMMON}


def story_for(record: Record, question: str) -> StarStory | None:
    """The story-bank story written for ``question`` (the closest wording), if there is one."""
    asked = _content_words(question)
    best: tuple[float, StarStory | None] = (0.5, None)
    for story in record.lessons.star_stories:
        words = _content_words(story.question)
        if asked and words:
            score = len(asked & words) / min(len(asked), len(words))
            if score >= best[0]:
                best = (score, story)
    return best[1]
