#!/usr/bin/python3
"""An SMTP server on loopback for the end-to-end tests (Debian's python3-aiosmtpd).

    sink.py FOLDER [--fail-first N]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once it accepts
connections. Every message received is written to FOLDER as NNNNNN.eml (the
bytes as received) and NNNNNN.json (envelope and MIME parts as Python's own
e-mail parser reads them, so the test checks our MIME against an independent
reader), each written whole under a temporary name and then renamed. With
--fail-first N the first N messages are refused with 451 (a temporary
failure: the sender should try again). Stops on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import base64
import email
import email.policy
import json
import os
import signal

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, folder, fail_first):
        self.folder = folder
        self.fail_left = fail_first
        self.count = 0

    def _write(self, name, data):
        tmp = os.path.join(self.folder, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, os.path.join(self.folder, name))

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 try again later (test sink)"
        self.count += 1
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            data = part.get_payload(decode=True) or b""
            entry = {
                "content_type": part.get_content_type(),
                "filename": part.get_filename(),
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
            if part.get_content_maintype() == "text":
                entry["text"] = data.decode(part.get_content_charset() or "utf-8", "replace")
            parts.append(entry)
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "subject": str(msg["subject"]),
            "message_id": str(msg["message-id"]),
            "date": str(msg["date"]),
            "defects": [type(d).__name__ for d in msg.defects],
            "parts": parts,
        }
        base = "%06d" % self.count
        self._write(base + ".eml", raw)
        self._write(base + ".json", json.dumps(summary).encode("utf-8"))
        return "250 2.0.0 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    sink = Sink(args.folder, args.fail_first)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, hostname="sink.test"), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("PORT %d" % port, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
