"""The coaching content: every form field has words, every pick-list is usable, and the numbers
the coaching rests on are the ones a user reads."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from afterview.coaching.content import STEPS, Content, content
from afterview.record import schema


def _keys(model: type[BaseModel], prefix: str = "", skip: tuple[str, ...] = ()) -> set[str]:
    """The prompt keys a model's fields need: ``field``, and ``field.sub`` for list items."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        keys.add(prefix + name)
        if typing.get_origin(info.annotation) is list:
            (item,) = typing.get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                keys |= {f"{prefix}{name}.{sub}" for sub in item.model_fields}
    return keys


EXPECTED_PROMPTS: dict[str, set[str]] = {
    "intake": (
        _keys(schema.Candidate, "candidate.")
        | _keys(schema.Interview, "interview.")
        | _keys(schema.Interviewer, "interviewers.")
        | _keys(schema.Question, "questions.")
        | {"requirements", "coach_notes"}
    ),
    "perspective": _keys(schema.Perspective) | _keys(schema.Result, "result."),
    "letters": _keys(schema.LetterPlan, skip=("interviewer",))
    | _keys(schema.Letters, skip=("plans",)),
    "strengths": _keys(schema.Strength),
    "lessons": _keys(schema.Lessons),
    "move_on": _keys(schema.MoveOn),
}


@pytest.mark.parametrize("step", list(EXPECTED_PROMPTS))
def test_every_step_prompts_for_exactly_the_fields_of_its_record_section(step: str) -> None:
    prompts = set(content().steps[step].prompts)
    missing = EXPECTED_PROMPTS[step] - prompts
    unknown = prompts - EXPECTED_PROMPTS[step]
    assert not missing, f"{step}: fields with no prompt: {sorted(missing)}"
    assert not unknown, f"{step}: prompts for fields the record does not have: {sorted(unknown)}"


def test_the_five_steps_follow_intake_in_workbook_order() -> None:
    assert STEPS == ("perspective", "letters", "strengths", "lessons", "move_on")
    assert list(content().steps) == ["intake", *STEPS]


def test_every_record_section_is_asked_about_in_some_step() -> None:
    sections = set(schema.Record.model_fields) - {"schema_version"}
    prefixed = {key.split(".")[0] for step in content().steps.values() for key in step.prompts}
    covered = prefixed | set(STEPS)
    assert sections - covered == set()


@pytest.mark.parametrize("step", ["intake", *STEPS])
def test_every_step_has_a_title_purpose_and_intro(step: str) -> None:
    found = content().steps[step]
    assert found.title and found.purpose and found.intro
    assert len(found.title) <= 40, "a title must fit a tab or a heading"


def test_an_unknown_step_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        content().steps["celebrate"]


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


def test_no_text_a_user_reads_is_empty() -> None:
    data = content().model_dump()
    optional = (".url", ".remedy")  # remedies are checked for root causes below
    empty = [
        path for path, text in _strings(data) if not text.strip() and not path.endswith(optional)
    ]
    assert empty == []
    assert all(cause.remedy for cause in content().root_causes)


def test_labels_are_short_enough_for_a_form() -> None:
    long = [
        (step, key, prompt.label)
        for step, found in content().steps.items()
        for key, prompt in found.prompts.items()
        if len(prompt.label) > 45
    ]
    assert long == []


def test_root_cause_keys_are_the_ones_records_store() -> None:
    assert [cause.key for cause in content().root_causes] == [
        "under_prepared",
        "hurtful_remark",
        "no_examples",
        "froze",
        "logistics",
        "rambling",
        "jargon",
        "experience_gap",
        "salary_too_early",
        "negative_employer",
        "improper_question",
        "other",
    ]


def test_thinking_traps_cover_the_common_ones_each_with_an_example() -> None:
    traps = {trap.key: trap for trap in content().thinking_traps}
    assert {
        "mind_reading",
        "catastrophising",
        "all_or_nothing",
        "discounting_positive",
        "fortune_telling",
        "labelling",
    } <= set(traps)
    no_example = [key for key, trap in traps.items() if '"' not in trap.hint]
    assert no_example == []


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("formats", schema.FORMATS),
        ("stages", schema.STAGES),
        ("outcomes", schema.OUTCOMES),
        ("opportunity_stages", schema.OPPORTUNITY_STAGES),
        ("result_statuses", schema.RESULT_STATUSES),
        ("practice_kinds", schema.PRACTICE_KINDS),
    ],
)
def test_pick_lists_offer_exactly_what_the_record_accepts(
    kind: str, values: tuple[str, ...]
) -> None:
    assert [choice.key for choice in content().choices(kind)] == list(values)


def test_keys_in_every_list_are_unique() -> None:
    found = content()
    lists: dict[str, list[str]] = {
        "thinking_traps": [c.key for c in found.thinking_traps],
        "root_causes": [c.key for c in found.root_causes],
        "if_then_examples": [e.key for e in found.if_then_examples],
        "sources": [s.key for s in found.sources],
        "emotions": found.emotions,
        "checklist": found.checklist,
        "strength_prompts": found.strength_prompts,
        "evidence_against_examples": found.evidence_against_examples,
    }
    duplicated = {name: keys for name, keys in lists.items() if len(set(keys)) != len(keys)}
    assert duplicated == {}


def test_pick_lists_are_long_enough_to_choose_from() -> None:
    found = content()
    assert 8 <= len(found.emotions) <= 14
    assert len(found.evidence_against_examples) >= 5
    assert len(found.checklist) >= 8
    assert len(found.strength_prompts) >= 4
    assert len(found.self_compassion.steps) == 3


def test_if_then_examples_cover_the_moments_that_go_wrong() -> None:
    keys = {example.key for example in content().if_then_examples}
    assert {"blank", "ramble", "salary_early", "tech_failure", "hostile_question"} <= keys


def test_label_gives_the_pick_list_label() -> None:
    found = content()
    assert found.label("root_causes", "froze") == "Froze or went blank"
    assert found.label("thinking_trap", "all_or_nothing") == "All-or-nothing thinking"
    assert found.label("went", "badly") == "Went badly"


def test_label_of_a_key_typed_by_hand_is_the_key_humanised() -> None:
    assert content().label("thinking_traps", "perfectionism") == "Perfectionism"
    assert content().label("root_causes", "took_a_call-from_home") == "Took a call from home"


def test_an_unknown_pick_list_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no pick-list called 'colours'"):
        content().label("colours", "red")


def test_the_numbers_the_coaching_rests_on_reach_the_user() -> None:
    found = content()
    letters = found.steps["letters"].intro
    assert "24 hours" in letters and "100 to 200 words" in letters
    move_on = found.steps["move_on"].intro
    assert "six" in move_on and "five business days" in move_on
    slot = " ".join(step.hint for step in found.worry_postponement.steps)
    assert "20 to 30 minutes" in slot and "bed" in slot
    assert found.steps["move_on"].prompts["target_live"].hint.startswith("About six")


def test_sources_name_what_the_domain_rests_on() -> None:
    found = {source.key: source for source in content().sources}
    assert {
        "thought-record",
        "self-compassion-break",
        "implementation-intentions",
        "worry-postponement",
        "thank-you-letters",
        "pipeline",
    } <= set(found)
    assert "2006" in found["implementation-intentions"].cite
    assert any(".65" in fact for fact in found["implementation-intentions"].facts)


def test_content_is_read_once_and_cannot_be_changed_by_accident() -> None:
    assert content() is content()
    with pytest.raises(ValueError, match="frozen"):
        content().emotions = []


def test_content_rejects_unknown_fields() -> None:
    data = content().model_dump()
    data["steps"]["perspective"]["prompts"]["situation"]["tooltip"] = "?"
    with pytest.raises(ValueError, match="tooltip"):
        Content.model_validate(data)
