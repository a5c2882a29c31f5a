"""The organizer's registration questions, checked before they are stored."""

import pytest

from townhall.domain.errors import ValidationFailed
from townhall.domain.registration import check_question_config


def _fields(config) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        check_question_config(config)
    return {e.field: e.message for e in info.value.errors}


def test_required_is_true_or_false_and_the_string_false_is_not_false():
    clean = check_question_config({"questions": [{"field_name": "job_title", "required": True}],
                                   "custom_questions": [{"title": "Why?", "required": False}, {"title": "Who?"}]})
    assert [q["required"] for q in clean["questions"] + clean["custom_questions"]] == [True, False, False]
    assert _fields({"questions": [{"field_name": "job_title", "required": "false"}]}) == {
        "questions[0].required": "required must be true or false."}
    assert _fields({"custom_questions": [{"title": "Why?", "required": 1}]}) == {"custom_questions[0].required": "required must be true or false."}


def test_lists_must_be_lists_and_names_strings():
    problems = _fields({"questions": 3, "custom_questions": {"title": "x"}})
    assert problems == {"questions": "questions must be a list.", "custom_questions": "custom_questions must be a list."}
    problems = _fields({"questions": [{"field_name": ["job_title"]}],
                        "custom_questions": [{"title": "Pick", "type": ["single_radio"]}, {"title": "Pick 2", "type": "single_radio", "options": 5}]})
    assert set(problems) == {"questions[0].field_name", "custom_questions[0].type", "custom_questions[1].options"}
