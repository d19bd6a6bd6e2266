"""Alert notifications: webhook JSON POST with retries and exponential backoff, optional SMTP."""

from __future__ import annotations

import json
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any


@dataclass(frozen=True)
class Delivery:
    """Outcome of one notification: ``ok``, attempts made, last status or error."""

    channel: str
    target: str
    ok: bool
    attempts: int
    detail: str


def post_webhook(url: str, payload: dict[str, Any], *, retries: int = 3, backoff: float = 0.5,
                 timeout: float = 5.0, sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """POST ``payload`` as JSON; retry on connection errors and HTTP 5xx/429.

    Waits ``backoff · 2^(k−1)`` seconds before retry k (k = 1..``retries``), so at most
    ``retries + 1`` attempts. Never raises: the outcome is returned for the delivery log.
    """
    body = json.dumps(payload, default=str).encode()
    detail = ""
    for attempt in range(1, retries + 2):
        req = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return Delivery("webhook", url, True, attempt, f"HTTP {resp.status}")
        except urllib.error.HTTPError as e:
            detail = f"HTTP {e.code}"
            e.close()
            if e.code < 500 and e.code != 429:
                return Delivery("webhook", url, False, attempt, detail)
        except (urllib.error.URLError, OSError) as e:
            detail = f"{type(e).__name__}: {getattr(e, 'reason', e)}"
        if attempt <= retries:
            sleep(backoff * 2 ** (attempt - 1))
    return Delivery("webhook", url, False, retries + 1, detail)


def send_smtp(host: str, port: int, sender: str, to: list[str], subject: str, text: str, *,
              timeout: float = 10.0) -> Delivery:
    """Send a plain-text e-mail through ``host:port`` (no auth, no TLS: a local relay)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, ", ".join(to), subject
    msg.set_content(text)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as s:
            s.send_message(msg)
        return Delivery("smtp", ",".join(to), True, 1, "sent")
    except (OSError, smtplib.SMTPException) as e:
        return Delivery("smtp", ",".join(to), False, 1, f"{type(e).__name__}: {e}")
