"""A local SMTP server for the mail benchmark: accepts everything, keeps a count, stores nothing."""

from __future__ import annotations

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        self.messages += 1
        return "250 OK"


def main() -> None:
    port = int(sys.argv[1])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()
    print(counter.messages, flush=True)


if __name__ == "__main__":
    main()
