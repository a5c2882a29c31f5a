"""`townhall serve` whose registration batches are answered without the database: a bench tool.

Every request still goes through the HTTP stack, the endpoint (token, body, response) and the
hand-over to the batch thread and back; the batch itself answers each person as registered at once
(fresh ids and join tokens, nothing written). Its registrations a second against `/healthz` on the
same server are what the HTTP stack and the endpoint leave for the database's part: the ceiling of
the registration/healthz ratio on this machine, whatever the group commit does.

Usage: `python bench/free_batch.py serve --port N ...` (the arguments of `townhall serve`)."""

from __future__ import annotations

import sys

from townhall.domain.ids import Mint
from townhall.services import registration


def _answer_at_once(self: registration.RegistrationService, jobs: list, again: bool = False) -> list:
    mint = Mint()
    return [[registration.Registered(mint.id(), request.email.strip(), request.external_ticket_id, mint.token(),
                                     request.ticket_type_id or mint.id())
             for request in job.requests] for job in jobs]


registration.RegistrationService._apply = _answer_at_once  # type: ignore[method-assign]

if __name__ == "__main__":
    from townhall.cli import main

    sys.exit(main())
