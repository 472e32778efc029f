"""The client interview record: one YAML file per interview, schema version 1.

This module is the single source of truth for what a record holds. Reading and writing files
lives in :mod:`afterview.record.store`; older schema versions are upgraded in :func:`upgrade`.
The rules the fields obey beyond their type (limits, e-mail, time zone, country) are in
:mod:`afterview.record.rules`.

The record follows the five recovery steps (see docs in README.md):
``perspective`` → ``letters`` → ``strengths`` → ``lessons`` → ``move_on``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from afterview.record import rules
from afterview.record.rules import MAX_INTERVIEWERS as MAX_INTERVIEWERS
from afterview.record.rules import PLAIN_ADDRESS as PLAIN_ADDRESS

SCHEMA_VERSION = 1

Format = Literal["phone", "video", "onsite", "panel", "technical"]
Stage = Literal["screen", "first round", "second round", "final", "other"]
Outcome = Literal["well", "mixed", "badly"]
Percent = Annotated[int, Field(ge=0, le=100)]
Rating = Annotated[int, Field(ge=1, le=10)]
OpportunityStage = Literal["idea", "applied", "screen", "interviewing", "offer", "closed"]
Formality = Literal["first name", "title and surname"]

FORMATS: tuple[str, ...] = get_args(Format)
STAGES: tuple[str, ...] = get_args(Stage)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
OPPORTUNITY_STAGES: tuple[str, ...] = get_args(OpportunityStage)
FORMALITIES: tuple[str, ...] = get_args(Formality)
LIVE_STAGES: tuple[str, ...] = ("applied", "screen", "interviewing", "offer")
Minutes = Annotated[int, Field(ge=5, le=600)]
FORMAT_MINUTES: dict[str, int] = {
    "phone": 30,
    "video": 45,
    "onsite": 90,
    "panel": 60,
    "technical": 90,
}
"""The usual length of each interview format, when the record does not give one."""
PracticeKind = Literal["mock_interview", "star_aloud", "other"]
PRACTICE_KINDS: tuple[str, ...] = get_args(PracticeKind)


class Model(BaseModel):
    """Strict base: unknown fields are errors, assignments are validated (widgets assign)."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        str_max_length=rules.MAX_TEXT,
    )

    _within_limits = field_validator("*")(rules.within_limits)
    """Dates in a sane range and lists of a sane length, for every field of every section."""


# --- the facts of the interview -------------------------------------------------------------


class Candidate(Model):
    name: str = Field(min_length=1)
    id: str | None = None
    """The practice's own reference for this person; groups their interviews in the caseload."""
    email: str | None = None
    phone: str | None = None
    timezone: str | None = None
    """Where the job seeker lives; empty means the interview's time zone."""

    _known_timezone = field_validator("timezone")(rules.known_zone)

    _valid_email = field_validator("email")(rules.email_address)


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
    minutes: Minutes | None = None
    """How long it lasted; empty means the usual length for its format (``FORMAT_MINUTES``)."""
    country: str | None = None
    """Where the job is (ISO code like GB or KE): its public holidays are not business days.
    Empty means the country of the time zone, when the zone belongs to one country."""
    subdivision: str | None = None
    """A state or region code (like CA or NSW) whose own holidays count too; optional."""
    inappropriate_remark: str = ""
    """A question or remark the client felt was inappropriate or possibly discriminatory, in
    their words; it goes to the coach, never into a letter."""

    _known_timezone = field_validator("timezone")(rules.known_zone)

    _known_country = field_validator("country")(rules.known_country)
    _upper_subdivision = field_validator("subdivision")(rules.upper_code)

    @property
    def starts_at(self) -> dt.datetime:
        """When the interview started, as an aware datetime in its own time zone."""
        return dt.datetime.combine(self.date, self.time, tzinfo=ZoneInfo(self.timezone))

    @property
    def ends_at(self) -> dt.datetime:
        """When the interview ended: its start plus its length (or its format's usual one)."""
        minutes = self.minutes if self.minutes is not None else FORMAT_MINUTES[self.format]
        return self.starts_at + dt.timedelta(minutes=minutes)


class Interviewer(Model):
    name: str = Field(min_length=1)
    title: str = ""
    email: str | None = None
    concern: str = ""
    """A doubt this interviewer seemed to have, in the client's words."""
    call_them: str = ""
    """How the letter greets them after "Dear" (Priya, Mr Otieno, Dr de la Cruz); empty: from
    the name and the formality."""
    formality: Formality | None = None
    """Greet them by first name or by title and surname; empty: the practice's default
    (``letters.formality``), or title and surname when the name starts with a title."""

    _valid_email = field_validator("email")(rules.email_address)


class Question(Model):
    text: str = Field(min_length=1)
    asked_by: str | None = None
    went: Outcome = "mixed"
    note: str = ""
    requirement: str = ""
    """The job requirement this question tested, as written in ``requirements``, if any."""


# --- step 1: keep perspective ---------------------------------------------------------------


class Emotion(Model):
    name: str = Field(min_length=1)
    before: Percent = 50
    after: Percent | None = None


class Perspective(Model):
    situation: str = ""
    emotions: list[Emotion] = []
    automatic_thought: str = ""
    thought_belief: Percent | None = None
    """How much the client believed the automatic thought before the exercise, 0-100."""
    thought_belief_after: Percent | None = None
    """How much they believe it once the balanced thought is written, 0-100."""
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
    thank_for: str = ""
    """What to thank them for, from this conversation, as it would follow "Thank you for"."""
    question: str = ""
    """The weak question to revisit (its text, as in ``questions``), or empty."""
    about: str = ""
    """What the added answer is about, as it would follow "my answer on", for example "saying
    no to a senior stakeholder"; empty: the question is quoted."""
    reanswer: str = ""
    """The better answer, in two or three sentences."""
    address_concern: bool = False
    """Answer the interviewer's concern instead of (or as well as) a question."""
    concern_answer: str = ""
    personal_note: str = ""
    """Something specific from the conversation with this interviewer."""
    sent_on: dt.date | None = None
    """The day this letter was sent; empty while it is still a draft."""
    strengths: list[str] = []
    """The requirements (as in ``strengths.map``) whose proof goes into this letter, one or two;
    empty: chosen for this interviewer (what they probed or did not see, varied across a panel)."""


class Letters(Model):
    plans: list[LetterPlan] = []
    signoff: str = "Best regards"
    sent_on: dt.date | None = None
    """The old whole-interview sent date; each plan's ``sent_on`` says it per letter."""
    formality: Formality = "first name"
    """The practice's usual greeting, for interviewers whose own ``formality`` is empty."""


# --- step 3: mention your strengths ---------------------------------------------------------


class Strength(Model):
    requirement: str = Field(min_length=1)
    evidence: str = ""
    """One concrete proof point: a result, a number, a project."""
    sentence: str = ""
    """The proof point as one sentence in the client's own voice, as the letter will say it."""
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


class Practice(Model):
    kind: PracticeKind = "mock_interview"
    on: dt.date
    """The day it is planned for."""
    at: dt.time = dt.time(18, 0)
    note: str = ""
    """What to practise, for example which stories to say aloud."""


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
    practice: list[Practice] = []


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


RESULT_STAGES: dict[str, OpportunityStage] = {
    "pending": "interviewing",
    "advanced": "interviewing",
    "offer": "offer",
    "rejected": "closed",
    "no answer": "closed",
}
"""Where this interview stands in the pipeline, by its outcome."""


class Result(Model):
    status: ResultStatus = "pending"
    on: dt.date | None = None
    """When the client heard (or when they gave up waiting)."""


# --- the record -----------------------------------------------------------------------------


class Record(Model):
    schema_version: Literal[1] = 1
    candidate: Candidate
    interview: Interview
    interviewers: list[Interviewer] = Field(min_length=1, max_length=MAX_INTERVIEWERS)
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
            mapped = [strength.requirement for strength in self.strengths.map]
            for chosen in plan.strengths:
                if chosen not in mapped:
                    raise ValueError(
                        f"letters.plans.{index}.strengths: {chosen!r} is not a requirement in "
                        "strengths.map; copy its wording from there"
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

    def pipeline(self) -> list[Opportunity]:
        """The other opportunities, and this interview itself while its outcome is open
        (unless the client already listed it)."""
        listed = {o.company.casefold() for o in self.move_on.opportunities}
        stage = RESULT_STAGES[self.result.status]
        if stage == "closed" or self.interview.company.casefold() in listed:
            return list(self.move_on.opportunities)
        current = Opportunity(company=self.interview.company, role=self.interview.role, stage=stage)
        return [current, *self.move_on.opportunities]

    def live_opportunities(self) -> list[Opportunity]:
        return [o for o in self.pipeline() if o.stage in LIVE_STAGES]


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
