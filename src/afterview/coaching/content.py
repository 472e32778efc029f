"""The coaching content: every prompt, hint and pick-list, read from ``data/content.yaml``.

Notebooks, forms, reports and the CLI all take their words from here, so a change of wording
is made once. Prompt keys are the record's own field names (see :mod:`afterview.record.schema`);
fields of list items are written ``list.field`` (``star_stories.result``), and the intake
step uses the section as prefix (``interview.company``, ``interviewers.concern``).

>>> content().steps["perspective"].prompts["automatic_thought"].label
'The thought that keeps coming back'
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from ruamel.yaml import YAML

__all__ = [
    "STEPS",
    "Caseload",
    "Choice",
    "Content",
    "Guide",
    "IfThenExample",
    "LetterChecks",
    "Prompt",
    "QuestionClass",
    "Source",
    "Step",
    "content",
    "humanise",
]

STEPS: tuple[str, ...] = ("perspective", "letters", "strengths", "lessons", "move_on")
"""The five recovery steps, in the order the workbook walks them (``intake`` comes first)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Prompt(_Model):
    """What a form shows beside one record field."""

    label: str = Field(min_length=1)
    hint: str = Field(min_length=1)


class Step(_Model):
    title: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    """One line: why this step helps."""
    intro: str = Field(min_length=1)
    """A short paragraph shown at the top of the step."""
    prompts: dict[str, Prompt]


class Choice(_Model):
    """One entry of a pick-list: ``key`` is what the record stores."""

    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    hint: str = Field(min_length=1)
    remedy: str = ""
    """What to do next time (root causes only)."""
    keywords: list[str] = []
    """Words in a question's note that suggest this root cause (whole words, any case)."""


class IfThenExample(_Model):
    key: str = Field(min_length=1)
    situation: str = Field(min_length=1)
    """A few words naming the moment, for a pick-list."""
    when: str = Field(min_length=1)
    then: str = Field(min_length=1)


class Guide(_Model):
    """A short exercise: a title, a paragraph and its steps."""

    title: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    steps: list[Prompt] = Field(min_length=1)


class Source(_Model):
    key: str = Field(min_length=1)
    cite: str = Field(min_length=1)
    """The reference as it appears in the docs."""
    facts: list[str] = Field(min_length=1)
    """What the workbook takes from it (facts and numbers, never sentences)."""
    url: str = ""


class LetterChecks(_Model):
    """Phrases the letter checks look for (case-insensitive, whole words)."""

    apology: list[str] = Field(min_length=1)
    misunderstood: list[str] = Field(min_length=1)
    generic_greetings: list[str] = Field(min_length=1)
    group_greetings: list[str] = Field(min_length=1)
    lead_ins: list[str] = Field(min_length=1)
    """Ways of announcing an addition ("I'd like to add"); a letter needs at most one."""


class QuestionClass(_Model):
    """A kind of question that is never answered again in writing (salary, notice period…)."""

    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    next_call: str = Field(min_length=1)
    """What to do with such a question instead, said to the client."""
    words: list[str] = Field(min_length=1)
    """Words or phrases that mark a question of this kind (whole words, any case)."""
    letter_words: list[str] = []
    """Words that, in what the client wrote for a letter, mean the letter answers it."""


class Caseload(_Model):
    """The words and thresholds of the coach's caseload."""

    distress_words: list[str] = Field(min_length=1)
    """In the thought record, a sign the client needs a check-in (whole words, any case)."""
    distress_after: int = Field(ge=0, le=100)
    """An emotion still rated this strong after the thought record is high distress."""
    quiet_days: int = Field(ge=1)
    flags: dict[str, str]
    actions: dict[str, str]
    """One line each, ``str.format`` fields in braces; ``{s}`` is a plural ending."""
    recurring: str = Field(min_length=1)
    """A root cause that keeps coming back: ``{label}``, ``{count}`` of ``{total}``."""
    calibration: str = Field(min_length=1)
    calibration_minimum: int = Field(ge=1)
    calibration_heading: str = Field(min_length=1)
    calibration_note: str = Field(min_length=1)
    """Step 1 shows the calibration sentence under this heading and with this note."""
    history_heading: str = Field(min_length=1)
    recurring_heading: str = Field(min_length=1)
    from_earlier: str = Field(min_length=1)
    """A checklist item carried over from earlier interviews: ``{reason}``, ``{remedy}``."""


class Content(_Model):
    steps: dict[str, Step]
    thinking_traps: list[Choice]
    root_causes: list[Choice]
    emotions: list[str]
    evidence_against_examples: list[str]
    if_then_examples: list[IfThenExample]
    checklist: list[str]
    strength_prompts: list[str]
    self_compassion: Guide
    worry_postponement: Guide
    close_interview: Guide
    formats: list[Choice]
    stages: list[Choice]
    outcomes: list[Choice]
    opportunity_stages: list[Choice]
    result_statuses: list[Choice]
    practice_kinds: list[Choice]
    letter_checks: LetterChecks
    question_classes: list[QuestionClass]
    caseload: Caseload
    sources: list[Source]

    def choices(self, kind: str) -> list[Choice]:
        """A pick-list by name: ``thinking_traps``, ``root_causes``, ``formats``, ``stages``,
        ``outcomes`` (also ``went``), ``opportunity_stages``, ``result_statuses`` or
        ``practice_kinds``; singular names work too."""
        name = _KIND_ALIASES.get(kind, kind)
        value = getattr(self, name, None) if name in _CHOICE_LISTS else None
        if value is None:
            raise KeyError(f"no pick-list called {kind!r}; expected one of {_CHOICE_LISTS}")
        return list(value)

    def choice(self, kind: str, key: str) -> Choice | None:
        return next((item for item in self.choices(kind) if item.key == key), None)

    def label(self, kind: str, key: str) -> str:
        """The label of a pick-list entry; an unknown key (typed by hand) is shown humanised."""
        found = self.choice(kind, key)
        return found.label if found is not None else humanise(key)

    def prompt(self, step: str, field: str) -> Prompt:
        return self.steps[step].prompts[field]


_CHOICE_LISTS = (
    "thinking_traps",
    "root_causes",
    "formats",
    "stages",
    "outcomes",
    "opportunity_stages",
    "result_statuses",
    "practice_kinds",
)
_KIND_ALIASES = {
    "thinking_trap": "thinking_traps",
    "trap": "thinking_traps",
    "root_cause": "root_causes",
    "category": "root_causes",
    "format": "formats",
    "stage": "stages",
    "outcome": "outcomes",
    "went": "outcomes",
    "opportunity_stage": "opportunity_stages",
    "result_status": "result_statuses",
    "status": "result_statuses",
    "practice_kind": "practice_kinds",
}


def humanise(key: str) -> str:
    """``all_or_nothing`` -> ``All or nothing``."""
    words = key.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _read() -> Any:
    text = (
        resources.files("afterview.coaching")
        .joinpath("data/content.yaml")
        .read_text(encoding="utf-8")
    )
    return YAML(typ="safe", pure=True).load(text)


@functools.cache
def content() -> Content:
    """The coaching content, loaded once per process."""
    return Content.model_validate(_read())
