"""A real SMTP server in-process (aiosmtpd) that keeps what it receives; it can refuse for a while."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

from aiosmtpd.controller import Controller  # noqa: F401  (re-exported for tests)

from tests.server import free_port


class Inbox:
    """The aiosmtpd handler: collects messages; answers 451 to the next `refuse` messages.
    It offers PIPELINING, as Postfix and most servers do, unless `pipelining` is turned off
    (aiosmtpd reads the commands of a pipelined group one after the other either way)."""

    def __init__(self, pipelining: bool = True) -> None:
        self.pipelining = pipelining
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self.refused = 0
        self.unknown_mailboxes: set[str] = set()
        self._lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses) -> list[str]:  # type: ignore[no-untyped-def]
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]] if self.pipelining else responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # type: ignore[no-untyped-def]
        if address in self.unknown_mailboxes:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self._lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


@contextmanager
def smtp_server(pipelining: bool = True) -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox(pipelining)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()
