"""The one place where secrets are checked and taken out of text.

Keys come from the environment only. `check_key` refuses a key with whitespace, control or non-ASCII
characters before it is used (a key pasted with a trailing newline would otherwise end up in an HTTP library's
"invalid header value" message, key included), naming the variable and never the value. `redact` takes
every known key value out of a text: each message shown to the user, whatever raised it, goes through it.
"""

from __future__ import annotations

import os
import threading
import unicodedata

from metta_dash.errors import MettaDashError

KEY_VARIABLES = ("DD_API_KEY", "DD_APP_KEY")
REDACTED = "[redacted]"
_MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words

_known: set[str] = set()
_known_lock = threading.Lock()


class BadKey(MettaDashError):
    """A key that cannot be sent as it is. The message names the variable, never the value."""


def remember(value: str) -> None:
    """Treat `value` as a secret from now on (the client registers the keys it is given)."""
    with _known_lock:
        for form in (value, value.strip()):
            if len(form) >= _MIN_SECRET_LENGTH:
                _known.add(form)


def check_key(variable: str, value: str) -> str:
    """`value` when it can be sent as a header; BadKey naming `variable` when it holds whitespace, controls or
    non-ASCII characters."""
    remember(value)
    # Datadog's keys are hexadecimal; a non-ASCII character (a curly quote pasted from a document) would
    # otherwise fail deep in http.client as an "unexpected" UnicodeEncodeError.
    bad = next((c for c in value if c.isspace() or unicodedata.category(c).startswith("C") or not c.isascii()), None)
    if bad is not None:
        what = ("a line break" if bad in "\r\n" else "whitespace" if bad.isspace()
                else "a control character" if unicodedata.category(bad).startswith("C") else "a non-ASCII character")
        raise BadKey(
            f"{variable} contains {what} (U+{ord(bad):04X}); keys are sent as HTTP headers and must not",
            hint=f"set {variable} again without surrounding spaces or a trailing newline "
            f"(e.g. export {variable}=\"$(tr -d '[:space:]' < keyfile)\")",
        )
    return value


def redact(text: str) -> str:
    """`text` with every known secret (the keys in use and those in the environment) replaced."""
    with _known_lock:
        secrets = set(_known)
    for variable in KEY_VARIABLES:
        value = os.environ.get(variable) or ""
        for form in (value, value.strip()):
            if len(form) >= _MIN_SECRET_LENGTH:
                secrets.add(form)
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
