"""Where messages go: an SMTP server (TOWNHALL_SMTP_URL) or, with none configured, .eml files."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from townhall.mail.messages import Email

log = logging.getLogger("townhall.mail")


class TemporaryFailure(Exception):
    """Try again later: 4xx answers, refused or dropped connections."""


class PermanentFailure(Exception):
    """Do not try again: 5xx answers such as an unknown mailbox."""


class Connection(Protocol):
    def send_all(self, emails: list[Email]) -> list[Exception | None]: ...


class Transport(Protocol):
    def connect(self) -> "contextmanager[Connection]": ...  # type: ignore[valid-type]


class _Client(smtplib.SMTP):
    """smtplib, minus parsing each envelope address again: townhall's addresses were validated
    when they were accepted, so a plain one goes out as <address> (anything else as smtplib would)."""

    def rcpt(self, recip: str, options: tuple = ()) -> tuple[int, bytes]:  # type: ignore[override]
        if options or not _PLAIN.fullmatch(recip):
            return super().rcpt(recip, options)
        self.putcmd("rcpt", f"TO:<{recip}>")
        return self.getreply()


def _envelope(address: str) -> str:
    return f"<{address}>" if _PLAIN.fullmatch(address) else smtplib.quoteaddr(address)


def _failure(code: int, text: bytes) -> Exception:
    return (PermanentFailure if code >= 500 else TemporaryFailure)(f"{code} {text!r}")


class _SslClient(smtplib.SMTP_SSL, _Client):
    pass


_PLAIN = re.compile(r"[!-;=?-~]+@[!-;=?-~]+")  # printable ASCII without spaces, < or >


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
                client: smtplib.SMTP = _SslClient(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
            else:
                client = _Client(self.host, self.port, timeout=self.timeout)
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

    def send_all(self, emails: list[Email]) -> list[Exception | None]:
        """What became of each email, in order: None when the server took it, else the failure."""
        try:
            self._client.ehlo_or_helo_if_needed()  # what the server offers
        except (OSError, smtplib.SMTPException) as exc:
            return [TemporaryFailure(str(exc)) for _ in emails]
        if self._client.has_extn("pipelining"):
            return self._pipelined(emails)
        results: list[Exception | None] = []
        for email in emails:
            try:
                self.send(email)
                results.append(None)
            except (PermanentFailure, TemporaryFailure) as exc:
                results.append(exc)
        return results

    def _pipelined(self, emails: list[Email]) -> list[Exception | None]:
        """ESMTP PIPELINING (RFC 2920): each email's content and final dot go in one write with
        the next email's MAIL, RCPT and DATA, and their four replies are read together: one round
        trip per email instead of four. A refused transaction is reset before the next one."""
        client = self._client
        results: list[Exception | None] = [None] * len(emails)
        settled: set[int] = set()  # answered for good: taken, or refused
        content_due: int | None = None  # the email whose DATA was answered 354
        reset = False
        try:
            for index in range(len(emails) + 1):
                out: list[bytes] = []
                replies: list[tuple[str, int]] = []
                if content_due is not None:
                    out.append(_dot_stuffed(emails[content_due].data))
                    replies.append(("end", content_due))
                    content_due = None
                if index < len(emails):
                    email = emails[index]
                    international = not (email.sender.isascii() and email.recipient.isascii())
                    if international and not client.has_extn("smtputf8"):
                        results[index] = PermanentFailure("the SMTP server does not support SMTPUTF8, which this address needs")
                        settled.add(index)
                    else:
                        if reset:
                            out.append(b"RSET\r\n")
                            replies.append(("rset", index))
                            reset = False
                        utf8 = " SMTPUTF8" if international else ""
                        out.append(f"MAIL FROM:{_envelope(email.sender)}{utf8}\r\nRCPT TO:{_envelope(email.recipient)}\r\nDATA\r\n".encode())
                        replies += [("mail", index), ("rcpt", index), ("data", index)]
                if not out:
                    continue
                client.send(b"".join(out))
                for step, i in replies:
                    code, text = client.getreply()
                    if step == "end":
                        results[i] = None if code == 250 else _failure(code, text)
                        settled.add(i)
                    elif step == "data" and code == 354 and results[i] is None:
                        content_due = i
                    elif step == "data" and code == 354:  # DATA taken after a refusal: end it empty, reset
                        client.send(b".\r\n")
                        client.getreply()
                        settled.add(i)
                        reset = True
                    elif step != "rset" and code not in (250, 251, 354):
                        results[i] = results[i] or _failure(code, text)
                        if step == "data":
                            settled.add(i)
                            reset = True
        except (OSError, smtplib.SMTPException) as exc:
            for i in range(len(emails)):
                if i not in settled:
                    results[i] = TemporaryFailure(str(exc))
        return results

    def send(self, email: Email) -> None:
        international = not (email.sender.isascii() and email.recipient.isascii())
        try:
            self._client.sendmail(email.sender, [email.recipient], email.data, mail_options=["SMTPUTF8"] if international else [])
        except smtplib.SMTPNotSupportedError as exc:  # a non-ASCII address and a server without SMTPUTF8
            raise PermanentFailure(str(exc)) from exc
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


def _dot_stuffed(data: bytes) -> bytes:
    """A message's content as DATA sends it (RFC 5321 4.5.2): lines starting with a dot get
    another, and a line with a lone dot ends it. The content already has CRLF line ends."""
    stuffed = re.sub(rb"(?m)^\.", b"..", data)
    return stuffed + (b".\r\n" if stuffed.endswith(b"\r\n") else b"\r\n.\r\n")


class FileTransport:
    """Writes each message as an .eml file and logs its path: the embedded default, for `make run`."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    @contextmanager
    def connect(self) -> Iterator["FileTransport"]:
        self.directory.mkdir(parents=True, exist_ok=True)
        yield self

    def send_all(self, emails: list[Email]) -> list[Exception | None]:
        for email in emails:
            self.send(email)
        return [None] * len(emails)

    def send(self, email: Email) -> None:
        name = email.message_id.strip("<>").replace("@", "_at_").replace("/", "_") + ".eml"
        path = self.directory / name
        path.write_bytes(email.data)
        log.info("mail to %s written to %s", email.recipient, path)


def transport_for(smtp_url: str | None, mail_dir: str) -> SmtpTransport | FileTransport:
    return SmtpTransport(smtp_url) if smtp_url else FileTransport(mail_dir)
