"""Thank-you letters: one personal note per interviewer, drafts that open in a mail program."""

from __future__ import annotations

import stat
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from afterview.coaching.content import content
from afterview.coaching.letters import (
    MANIFEST,
    Letter,
    render_letter,
    render_letters,
    slug,
    strengths_to_mention,
    to_eml,
    write_letters,
)
from afterview.coaching.plans import find_phrases, planned, status
from afterview.record import store
from afterview.record.errors import RecordError, TemplateError
from afterview.record.schema import Interviewer, Record, Strength

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SECRET = "COACH-ONLY-SECRET"


def load(name: str) -> Record:
    return store.load(FIXTURES / f"{name}.yaml")


@pytest.fixture
def panel() -> Record:
    return load("panel-three-interviewers")


def paragraphs(letter: Letter) -> list[str]:
    return [block for block in letter.body.split("\n\n") if block.strip()]


def test_one_letter_per_interviewer_greets_each_by_name(panel: Record) -> None:
    letters = render_letters(panel)

    assert [letter.interviewer.name for letter in letters] == [
        "Priya Raman",
        "Dr Tomás Ñúñez",
        "Grace Okafor",
    ]
    assert [letter.body.splitlines()[0] for letter in letters] == [
        "Dear Priya,",
        "Dear Dr Ñúñez,",
        "Dear Grace,",
    ]


def test_render_letter_picks_one_interviewer(panel: Record) -> None:
    letter = render_letter(panel, "Grace Okafor")

    assert letter.body.startswith("Dear Grace,")


def test_render_letter_for_someone_not_on_the_panel_says_who_is(panel: Record) -> None:
    with pytest.raises(TemplateError, match="Priya Raman, Dr Tomás Ñúñez, Grace Okafor"):
        render_letter(panel, "Nobody Known")


def test_letter_re_answers_the_weak_question_and_names_the_role(panel: Record) -> None:
    letter = render_letter(panel, "Priya Raman")

    assert "I'd like to add to my answer on changing a stakeholder's mind with data." in letter.body
    assert "margin rose 4 % that quarter." in letter.body
    assert "I enjoyed hearing how your team moved its reporting to dbt this year." in letter.body
    assert "Data Analyst" in letter.body and "Northwind Analytics" in letter.body
    assert "Data Analyst" in letter.subject


def test_letter_answers_the_concern_when_asked_to(panel: Record) -> None:
    letter = render_letter(panel, "Dr Tomás Ñúñez")

    assert "2-billion-row sales table" in letter.body


def test_letter_mentions_the_strengths_not_shown_with_their_proof(panel: Record) -> None:
    body = render_letter(panel, "Grace Okafor").body

    assert "I rebuilt our sales data model around how the stores actually order" in body
    assert "I run a monthly data clinic for 30 store managers" in body
    assert "SQL and data modelling" not in body  # a sentence, never "requirement: evidence"
    assert "Python" not in body  # shown in the room already


def test_strengths_marked_mention_win_and_at_most_three_go_in(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.strengths.map = [
        Strength(requirement=f"Skill {n}", evidence=f"proof {n}", mention=True) for n in range(5)
    ] + [Strength(requirement="Unshown", evidence="proof")]

    chosen = strengths_to_mention(record)

    assert [item.requirement for item in chosen] == ["Skill 0", "Skill 1", "Skill 2"]
    assert "Unshown" not in render_letter(record, "Grace Okafor").body


def test_letters_read_as_real_letters(panel: Record) -> None:
    for letter in render_letters(panel):
        assert 100 <= letter.word_count <= 200, letter.interviewer.name
        assert 2 <= len(paragraphs(letter)) - 2 <= 3  # greeting and sign-off aside
        assert letter.body.rstrip().endswith("Kind regards,\nAna Silva")


def test_word_count_leaves_out_greeting_and_signoff() -> None:
    person = Interviewer(name="Priya Raman")
    letter = Letter(person, "Thanks", "Dear Priya,\n\nOne two three four.\n\nBest regards,\nAna")

    assert letter.word_count == 4


def test_an_interviewer_with_no_plan_gets_no_filler_letter() -> None:
    record = load("empty-plan")

    assert render_letters(record) == []
    assert status(record, "Lena Fischer") == "not started"


def test_coach_notes_never_reach_a_letter_or_draft(panel: Record, tmp_path: Path) -> None:
    paths = write_letters(panel, tmp_path)

    for path in paths:
        assert SECRET not in path.read_text(encoding="utf-8")


def test_coach_template_overrides_the_built_in_letter(panel: Record, tmp_path: Path) -> None:
    (tmp_path / "letter.txt.j2").write_text(
        "Hello {{ greeting_name }}, thanks from {{ candidate.name }} about {{ interview.role }}.\n",
        encoding="utf-8",
    )

    letter = render_letter(panel, "Priya Raman", templates=tmp_path)

    assert letter.body == "Hello Priya, thanks from Ana Silva about Data Analyst.\n"
    assert letter.subject == "Thank you for the Data Analyst interview"  # built-in subject


def test_broken_coach_template_names_the_file_and_line(panel: Record, tmp_path: Path) -> None:
    template = tmp_path / "letter.txt.j2"
    template.write_text("Dear {{ greeting_name }},\n\n{% if plan.reanswer %}\nno end\n")

    with pytest.raises(TemplateError) as caught:
        render_letters(panel, templates=tmp_path)

    assert str(template) in str(caught.value)
    assert "line 4" in str(caught.value) or "line 5" in str(caught.value)


def test_coach_template_cannot_reach_the_coach_notes(panel: Record, tmp_path: Path) -> None:
    template = tmp_path / "letter_subject.txt.j2"
    template.write_text("Thanks\n{{ record.coach_notes }}\n")

    with pytest.raises(TemplateError) as caught:
        render_letters(panel, templates=tmp_path)

    message = str(caught.value)
    assert str(template) in message
    assert "'record' is undefined" in message
    assert "line 2" in message
    assert "greeting_name" in message  # lists the names a template can use


def test_coach_template_including_a_missing_file_names_it(panel: Record, tmp_path: Path) -> None:
    (tmp_path / "letter.txt.j2").write_text('Dear {{ greeting_name }},\n{% include "sig.j2" %}\n')

    with pytest.raises(TemplateError, match=r"template sig\.j2 not found"):
        render_letters(panel, templates=tmp_path)


def test_missing_templates_folder_is_a_clear_error(panel: Record, tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="templates folder not found"):
        render_letters(panel, templates=tmp_path / "nope")


def test_draft_email_parses_with_recipient_subject_and_accents(panel: Record) -> None:
    letter = render_letter(panel, "Dr Tomás Ñúñez")

    message = BytesParser(policy=policy.default).parsebytes(to_eml(letter, panel))

    assert message["To"].addresses[0].display_name == "Dr Tomás Ñúñez"
    assert message["To"].addresses[0].addr_spec == "tomas.nunez@northwind.example"
    assert message["From"].addresses[0].display_name == "Ana Silva"
    assert message["Subject"] == letter.subject
    assert message["X-Unsent"] == "1"
    assert message.get_content() == letter.body
    assert "Dear Dr Ñúñez," in message.get_content()


def test_draft_to_an_accented_domain_uses_its_ascii_form(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.interviewers[0].email = "priya@exämple.com"
    letter = render_letter(record, "Priya Raman")

    message = BytesParser(policy=policy.default).parsebytes(to_eml(letter, record))

    assert message["To"].addresses[0].addr_spec == "priya@xn--exmple-cua.com"


def test_a_malformed_email_address_points_at_the_field(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    with pytest.raises(ValueError, match="'tomas at northwind' is not an e-mail address"):
        record.interviewers[1].email = "tomas at northwind"  # the schema refuses it first
    # A record built without validation still gets the letters' own plain error.
    record.interviewers[1] = record.interviewers[1].model_copy(
        update={"email": "tomas at northwind"}
    )
    letter = render_letter(record, "Dr Tomás Ñúñez")

    with pytest.raises(RecordError) as caught:
        to_eml(letter, record)

    assert caught.value.field == "interviewers.1.email"
    assert "name@example.com" in str(caught.value)


def test_draft_without_an_address_leaves_to_for_the_user(panel: Record) -> None:
    record = panel.model_copy(deep=True)
    record.interviewers[2].email = None
    letter = render_letter(record, "Grace Okafor")

    message = BytesParser(policy=policy.default).parsebytes(to_eml(letter, record))

    assert message["To"] == ""  # written empty on purpose; the checks say so
    assert message.get_content().startswith("Dear Grace,")


def test_write_letters_writes_a_text_and_a_draft_per_interviewer(
    panel: Record, tmp_path: Path
) -> None:
    paths = write_letters(panel, tmp_path / "letters")

    assert [path.name for path in paths] == [
        "01-priya-raman.txt",
        "01-priya-raman.eml",
        "02-dr-tomas-nunez.txt",
        "02-dr-tomas-nunez.eml",
        "03-grace-okafor.txt",
        "03-grace-okafor.eml",
    ]
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith("Subject: Thank you for the Data Analyst interview\n\nDear Priya,")
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600  # personal data: owner only
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == sorted(
        [MANIFEST, *(p.name for p in paths)]
    )  # no temporary files left behind


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Priya Raman", "priya-raman"),
        ("Dr Tomás Ñúñez", "dr-tomas-nunez"),
        ("Zoë O'Brien-Łukasz", "zoe-o-brien-ukasz"),
        ("王伟", "interviewer"),
        ("  ", "interviewer"),
    ],
)
def test_file_names_are_plain_ascii_with_a_safe_fallback(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_example_client_gets_one_letter_per_planned_interviewer(path: Path) -> None:
    record = store.load(path)

    letters = render_letters(record)

    assert [letter.interviewer for letter in letters] == planned(record)
    for letter in letters:
        assert record.interview.company in letter.body
        if record.coach_notes:
            assert record.coach_notes not in letter.body


def test_writing_again_never_overwrites_a_letter_edited_by_hand(tmp_path: Path) -> None:
    record = load("panel-three-interviewers")
    first = write_letters(record, tmp_path)
    first[0].write_text("Subject: mine\n\nDear Priya, my own words.\n", encoding="utf-8")

    again = write_letters(record, tmp_path)

    assert again == first
    kept = list(tmp_path.glob("01-*.edited-*.txt"))
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == "Subject: mine\n\nDear Priya, my own words.\n"
    assert not list(tmp_path.glob("*.edited-*.eml"))  # the untouched draft was simply renewed


def test_writing_again_after_a_record_change_just_renews_the_letters(tmp_path: Path) -> None:
    record = load("panel-three-interviewers")
    write_letters(record, tmp_path)
    record.letters.signoff = "Warm wishes"
    written = write_letters(record, tmp_path)
    assert "Warm wishes" in written[0].read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.edited-*"))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_each_letter_greets_once_thanks_once_and_announces_at_most_one_addition(
    path: Path,
) -> None:
    record = store.load(path)
    lead_ins = content().letter_checks.lead_ins
    weekday = f"{record.interview.date:%A}"
    for letter in render_letters(record):
        assert letter.body.count("Dear ") == 1
        assert letter.body.count("Thank you") == 1
        assert len(find_phrases(letter.body, lead_ins)) <= 1
        first = paragraphs(letter)[1]
        assert any(day in first for day in (weekday, "today", "yesterday")), first
        assert record.interview.company in first


@pytest.mark.parametrize(
    ("stage", "closing"),
    [
        ("final", "I would be proud to join Kestrel Health, and I look forward to hearing your"),
        ("screen", "I would be glad to take the conversation further with the hiring team."),
        ("second round", "I look forward to hearing about the next steps."),
    ],
)
def test_the_closing_fits_the_stage(stage: str, closing: str) -> None:
    record = store.load(EXAMPLES / "ada-okafor-panel.yaml")
    record.interview.stage = stage  # type: ignore[assignment]

    for letter in render_letters(record):
        assert closing in paragraphs(letter)[-2]  # the last paragraph before the sign-off


def test_the_thank_you_names_how_you_met() -> None:
    record = store.load(EXAMPLES / "ada-okafor-panel.yaml")
    for plan in record.letters.plans:
        plan.sent_on = None
    assert "Thank you for Monday's panel interview" in render_letter(record, "Tom Eriksen").body
    record.interview.format = "phone"
    assert "speaking with me on the phone on Monday" in render_letter(record, "Tom Eriksen").body
