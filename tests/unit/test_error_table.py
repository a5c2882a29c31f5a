"""Every domain error has exactly one HTTP status and Zoom code."""

from townhall.api.errors import DOMAIN_ERRORS
from townhall.domain import errors


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_domain_error_is_mapped():
    missing = [cls.__name__ for cls in _subclasses(errors.DomainError) if cls not in DOMAIN_ERRORS]
    assert missing == []


def test_mapped_statuses_are_client_errors():
    assert all(400 <= status < 500 for status, _ in DOMAIN_ERRORS.values())
