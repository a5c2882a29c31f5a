"""The fast path for plain addresses agrees with email-validator, which decides everything else."""

import pytest
from email_validator import EmailNotValidError, validate_email

from townhall.domain.errors import ValidationFailed
from townhall.domain.registration import normalize_email

ADDRESSES = [
    "ada@example.com", "Ada.Lovelace@Example.COM", "x+tag@sub.example.co.uk", "o'brien@example.ie",
    "a..b@example.com", ".a@example.com", "a.@example.com", "a@b", "a@localhost", "a@corp.local", "a@x.test",
    "a@example.invalid", "a@-example.com", "a@example-.com", "a@exa_mple.com", "user@xn--bcher-kva.example",
    "bücher@example.com", "a@bücher.example", "\"quoted\"@example.com", "a b@example.com", "a@example.c",
    "a@123.example.com", "a@example.123", "x" * 65 + "@example.com", "a@" + "b" * 64 + ".com", "@example.com",
]


def _library(address):
    try:
        checked = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized, checked.normalized.lower()


@pytest.mark.parametrize("address", ADDRESSES)
def test_fast_path_agrees_with_email_validator(address):
    try:
        ours = normalize_email(address)
    except ValidationFailed:
        ours = None
    assert ours == _library(address)


def test_surrounding_spaces_and_case_identify_the_same_person():
    assert normalize_email("  Ada@Example.COM ")[1] == normalize_email("ada@example.com")[1] == "ada@example.com"
