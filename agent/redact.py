"""The one place secrets are scrubbed from text a user, a log, a report or a Slack thread will see.

Providers quote what they were sent: an API key in an "Incorrect API key" message,
an `--api-base` with `user:key@host` or `?api-key=...` in a connection error, a
bearer token in an echoed header. Every path that shows a provider's error runs
it through `redact` first; `redact_url` is for showing a configured URL.
"""

from __future__ import annotations

import os
import re

MARK = "[redacted]"
# Environment variables whose values are secrets (OPENAI_API_KEY, SLACK_BOT_TOKEN, AWS_SECRET_ACCESS_KEY, ...).
_SECRET_VARIABLE = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH", re.IGNORECASE)
_MIN_SECRET = 6  # shorter values ("1", "true") would blank ordinary words

# user:password@ or key@ in a URL: everything between the scheme and the @.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
# ?api-key=..., &key=..., ;token=... (and the other usual names for a secret in a query string).
_QUERY_SECRET = re.compile(
    r"(?i)([?&;](?:api[-_]?key|apikey|key|token|access[-_]?token|auth|authorization|secret|client[-_]?secret|"
    r"password|pass|pwd|sig|signature|code)=)[^&#\s\"'<>]+")
# Authorization: Bearer xyz / "x-api-key": "xyz" / api_key=xyz in echoed headers, JSON or repr.
_HEADER_SECRET = re.compile(
    r"(?i)(\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{6,}"
    r"|((?:[\"']?)(?:x-api-key|api[-_]?key|access[-_]?token|client[-_]?secret|password)[\"']?\s*[:=]\s*[\"']?)"
    r"[^\"'\s,;}&]{4,}")
# Shapes of provider keys and tokens: sk-..., sk-proj-..., gsk_..., ghp_..., hf_..., xoxb-..., AKIA..., AIza...
_KEY_SHAPE = re.compile(
    r"\b(?:(?:sk|pk|rk|key|api|xai|gsk|ghp|gho|ghs|hf|glpat)[-_][A-Za-z0-9_\-*]{6,}"
    r"|(?:xox[abposre]|xapp)-[A-Za-z0-9-]+|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,})")


def secret_values(extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The secrets to blank verbatim: the environment's key-like variables, plus `extra`, longest first."""
    values = {value for name, value in os.environ.items() if value and _SECRET_VARIABLE.search(name)}
    values.update(value for value in extra if value)
    return sorted((v for v in values if len(v) >= _MIN_SECRET), key=len, reverse=True)


def redact(text: str, extra: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with keys, bearer tokens, URL credentials, query secrets and known secret values replaced."""
    text = str(text)
    for value in secret_values(extra):
        text = text.replace(value, MARK)
    text = _URL_USERINFO.sub(rf"\1{MARK}@", text)
    text = _QUERY_SECRET.sub(rf"\1{MARK}", text)
    text = _HEADER_SECRET.sub(lambda m: (m.group(1) or m.group(2)) + MARK, text)
    return _KEY_SHAPE.sub(MARK, text)


def redact_url(url: str | None) -> str:
    """A configured URL (an API base) fit to print: its credentials and query secrets removed."""
    return redact(url or "")


def one_line(err: BaseException, limit: int = 300) -> str:
    """An exception as one short, redacted line (its first line, or its type when it has no text)."""
    text = redact(str(err)).strip()
    first = text.splitlines()[0].strip() if text else ""
    return (first or type(err).__name__)[:limit]
