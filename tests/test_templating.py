"""The filters letter templates use to turn a client's notes into sentences."""

from __future__ import annotations

import pytest

from afterview.coaching.templating import first_person, sentence


@pytest.mark.parametrize(
    ("proof", "in_the_letter"),
    [
        ("Built the Kafka pipeline that handles 600,000 events a day", "I built the Kafka"),
        ("Set up a monthly advisory group.", "I set up a monthly advisory group."),
        ("Redesigned the orders schema", "I redesigned the orders schema."),
        ("A scoring sheet that cut changes from 11 to 3", "A scoring sheet that cut changes"),
        ("Seven years of daily SQL", "Seven years of daily SQL."),
        ("I led two audits", "I led two audits."),
        ("REDUCED costs by 40 %", "REDUCED costs by 40 %."),
        ("Need a reason", "Need a reason."),
    ],
)
def test_a_cv_style_proof_point_reads_as_the_clients_own_sentence(
    proof: str, in_the_letter: str
) -> None:
    assert first_person(proof).startswith(in_the_letter)
    assert first_person(proof).endswith((".", "!", "?"))


def test_a_sentence_gets_a_capital_and_a_full_stop_but_keeps_iOS() -> None:
    assert sentence("thanks for the tour") == "Thanks for the tour."
    assert sentence("iOS was new to me!") == "iOS was new to me!"


def test_a_sentence_ending_in_a_bracket_still_gets_its_full_stop() -> None:
    assert sentence("I led the audit (WCAG 2.2 AA)") == "I led the audit (WCAG 2.2 AA)."
    assert sentence("I led the audit. (It passed.)") == "I led the audit. (It passed.)"
