"""Where messages go: an SMTP server (TOWNHALL_SMTP_URL) or, with none configured, .eml files."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("townhall.mail")


class TemporaryFailure(Exception):
    """Try again later: 4xx answers, refused or dropped connections."""


class PermanentFailure(Exception):
    """Do not try again: 5xx answers such as an unknown mailbox."""


class Connection(Protocol):
    def send(self, message: Message) -> None: ...


class Transport(Protocol):
    def connect(self) -> "contextmanager[Connection]": ...  # type: ignore[valid-type]


class SmtpTransport:
    """smtp://[user:password@]host[:port][?starttls=true] or smtps://... (TLS from the start)."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"TOWNHALL_SMTP_URL must look like smtp://host:port, got {url!r}")
        self.tls = parts.scheme == "smtps"
        self.host, self.port = parts.hostname, parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        self.timeout = timeout

    @contextmanager
    def connect(self) -> Iterator["_SmtpConnection"]:
        try:
            if self.tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                client.starttls(context=ssl.create_default_context())
            if self.user:
                client.login(self.user, self.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach the SMTP server {self.host}:{self.port}: {exc}") from exc
        try:
            yield _SmtpConnection(client)
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()


class _SmtpConnection:
    def __init__(self, client: smtplib.SMTP) -> None:
        self._client = client

    def send(self, message: Message) -> None:
        try:
            self._client.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise (PermanentFailure if all(c >= 500 for c in codes) else TemporaryFailure)(str(exc.recipients)) from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                try:
                    self._client.rset()
                except (OSError, smtplib.SMTPException):
                    pass
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise TemporaryFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(str(exc)) from exc


class FileTransport:
    """Writes each message as an .eml file and logs its path: the embedded default, for `make run`."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    @contextmanager
    def connect(self) -> Iterator["FileTransport"]:
        self.directory.mkdir(parents=True, exist_ok=True)
        yield self

    def send(self, message: Message) -> None:
        name = message["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_") + ".eml"
        path = self.directory / name
        path.write_bytes(message.as_bytes())
        log.info("mail to %s written to %s", message["To"], path)


def transport_for(smtp_url: str | None, mail_dir: str) -> SmtpTransport | FileTransport:
    return SmtpTransport(smtp_url) if smtp_url else FileTransport(mail_dir)
