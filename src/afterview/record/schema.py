"""The client interview record: one YAML file per interview, schema version 1.

This module is the single source of truth for what a record holds. Reading and writing files
lives in :mod:`afterview.record.store`; older schema versions are upgraded in :func:`upgrade`.

The record follows the five recovery steps (see docs in README.md):
``perspective`` → ``letters`` → ``strengths`` → ``lessons`` → ``move_on``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

Format = Literal["phone", "video", "onsite", "panel", "technical"]
Stage = Literal["screen", "first round", "second round", "final", "other"]
Outcome = Literal["well", "mixed", "badly"]
Percent = Annotated[int, Field(ge=0, le=100)]
Rating = Annotated[int, Field(ge=1, le=10)]
OpportunityStage = Literal["idea", "applied", "screen", "interviewing", "offer", "closed"]

FORMATS: tuple[str, ...] = get_args(Format)
STAGES: tuple[str, ...] = get_args(Stage)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
OPPORTUNITY_STAGES: tuple[str, ...] = get_args(OpportunityStage)
LIVE_STAGES: tuple[str, ...] = ("applied", "screen", "interviewing", "offer")


class Model(BaseModel):
    """Strict base: unknown fields are errors, assignments are validated (widgets assign)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


# --- the facts of the interview -------------------------------------------------------------


class Candidate(Model):
    name: str = Field(min_length=1)
    id: str | None = None
    """The practice's own reference for this person; groups their interviews in the caseload."""
    email: str | None = None
    phone: str | None = None


class Interview(Model):
    company: str = Field(min_length=1)
    role: str = Field(min_length=1)
    date: dt.date
    time: dt.time = dt.time(9, 0)
    timezone: str = "UTC"
    format: Format = "video"
    stage: Stage = "first round"
    self_rating: Rating | None = None
    """How it went, 1-10, given right after the interview."""
    inappropriate_remark: str = ""
    """A question or remark the client felt was inappropriate or possibly discriminatory, in
    their words; it goes to the coach, never into a letter."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected a time zone name like Europe/London or America/New_York, got {value!r}"
            ) from None
        return value

    @property
    def starts_at(self) -> dt.datetime:
        """When the interview started, as an aware datetime in its own time zone."""
        return dt.datetime.combine(self.date, self.time, tzinfo=ZoneInfo(self.timezone))


class Interviewer(Model):
    name: str = Field(min_length=1)
    title: str = ""
    email: str | None = None
    concern: str = ""
    """A doubt this interviewer seemed to have, in the client's words."""


class Question(Model):
    text: str = Field(min_length=1)
    asked_by: str | None = None
    went: Outcome = "mixed"
    note: str = ""


# --- step 1: keep perspective ---------------------------------------------------------------


class Emotion(Model):
    name: str = Field(min_length=1)
    before: Percent = 50
    after: Percent | None = None


class Perspective(Model):
    situation: str = ""
    emotions: list[Emotion] = []
    automatic_thought: str = ""
    evidence_for: list[str] = []
    evidence_against: list[str] = []
    thinking_traps: list[str] = []
    balanced_thought: str = ""
    belief: Percent | None = None
    """How much the client believes the balanced thought, 0-100."""
    rating_later: Rating | None = None
    """The 1-10 rating of the interview, given again once the thought record is done."""
    coach_rating: Rating | None = None
    self_compassion: str = ""


# --- step 2: be open (the thank-you letters) ------------------------------------------------


class LetterPlan(Model):
    interviewer: str = Field(min_length=1)
    """The interviewer's name, exactly as in ``interviewers``."""
    question: str = ""
    """The weak question to revisit (its text, as in ``questions``), or empty."""
    reanswer: str = ""
    """The better answer, in two or three sentences."""
    address_concern: bool = False
    """Answer the interviewer's concern instead of (or as well as) a question."""
    concern_answer: str = ""
    personal_note: str = ""
    """Something specific from the conversation with this interviewer."""
    sent_on: dt.date | None = None
    """The day this letter was sent; empty while it is still a draft."""


class Letters(Model):
    plans: list[LetterPlan] = []
    signoff: str = "Best regards"
    sent_on: dt.date | None = None


# --- step 3: mention your strengths ---------------------------------------------------------


class Strength(Model):
    requirement: str = Field(min_length=1)
    evidence: str = ""
    """One concrete proof point: a result, a number, a project."""
    shown: bool = False
    """Did the client get this across in the room?"""
    mention: bool = False
    """Put it in the thank-you letters."""


class Strengths(Model):
    map: list[Strength] = []


# --- step 4: learn from it ------------------------------------------------------------------


class RootCause(Model):
    category: str = Field(min_length=1)
    note: str = ""


class StarStory(Model):
    question: str = ""
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""


class IfThen(Model):
    when: str = Field(min_length=1, alias="if")
    then: str = Field(min_length=1)

    model_config = ConfigDict(populate_by_name=True)


class Lessons(Model):
    expected: str = ""
    happened: str = ""
    why: str = ""
    keep: list[str] = []
    change: list[str] = []
    root_causes: list[RootCause] = []
    star_stories: list[StarStory] = []
    if_then: list[IfThen] = []
    checklist: list[str] = []


# --- step 5: move on ------------------------------------------------------------------------


class Opportunity(Model):
    company: str = Field(min_length=1)
    role: str = ""
    stage: OpportunityStage = "applied"
    next_step: str = ""
    next_date: dt.date | None = None


class MoveOn(Model):
    response_by: dt.date | None = None
    """The date the employer said they would reply by, if they gave one."""
    closed: bool = False
    """The client has sent the letters and closed this interview in their mind."""
    worry_time: dt.time | None = None
    """A daily 20-30 minute slot for worries about this interview (not near bedtime)."""
    opportunities: list[Opportunity] = []
    target_live: int = Field(default=6, ge=1, le=20)


ResultStatus = Literal["pending", "advanced", "offer", "rejected", "no answer"]
RESULT_STATUSES: tuple[str, ...] = get_args(ResultStatus)


class Result(Model):
    status: ResultStatus = "pending"
    on: dt.date | None = None
    """When the client heard (or when they gave up waiting)."""


# --- the record -----------------------------------------------------------------------------


class Record(Model):
    schema_version: Literal[1] = 1
    candidate: Candidate
    interview: Interview
    interviewers: list[Interviewer] = Field(min_length=1)
    requirements: list[str] = []
    questions: list[Question] = []
    perspective: Perspective = Perspective()
    letters: Letters = Letters()
    strengths: Strengths = Strengths()
    lessons: Lessons = Lessons()
    move_on: MoveOn = MoveOn()
    result: Result = Result()
    coach_notes: str = ""
    """For the coach only: never shown in anything the client receives."""

    @model_validator(mode="after")
    def _names_refer_to_interviewers(self) -> Record:
        names = [person.name for person in self.interviewers]
        for index, plan in enumerate(self.letters.plans):
            if plan.interviewer not in names:
                raise ValueError(
                    f"letters.plans.{index}.interviewer: {plan.interviewer!r} is not one of the "
                    f"interviewers ({', '.join(names)})"
                )
        return self

    def interviewer(self, name: str) -> Interviewer:
        for person in self.interviewers:
            if person.name == name:
                return person
        raise KeyError(name)

    def plan_for(self, name: str) -> LetterPlan:
        """The letter plan for an interviewer; an empty one when none was written yet."""
        for plan in self.letters.plans:
            if plan.interviewer == name:
                return plan
        return LetterPlan(interviewer=name)

    def weak_questions(self) -> list[Question]:
        return [q for q in self.questions if q.went != "well"]

    def live_opportunities(self) -> list[Opportunity]:
        return [o for o in self.move_on.opportunities if o.stage in LIVE_STAGES]


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring raw record data of any known schema version up to :data:`SCHEMA_VERSION`.

    Version 0 (drafts written before the schema was versioned) kept ``self_rating`` at the top
    level and called ``interviewers`` ``panel``.
    """
    version = data.get("schema_version", 0)
    if version == 0:
        data = dict(data)
        if "panel" in data and "interviewers" not in data:
            data["interviewers"] = data.pop("panel")
        if "self_rating" in data and isinstance(data.get("interview"), dict):
            data["interview"] = {**data["interview"], "self_rating": data.pop("self_rating")}
        data["schema_version"] = 1
    return data
