"""The review page's defences: CSRF tokens on every form, a body size limit, strict headers.

Why by hand and small: the page is local and has two kinds of form; a
double-submit token (a random cookie and its HMAC under a per-process secret in
the form) is enough and needs no session store. Every POST without both, or with
a foreign ``Origin``, is refused with 403 before any handler runs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

CSRF_COOKIE = "compliance_csrf"
CSRF_FIELD = "csrf_token"
MAX_BODY = 16 * 1024
"""Bytes a form may send: a reason of a few thousand characters fits, a file upload does not."""
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Csrf:
    """Issues and checks double-submit tokens under a secret known only to this process."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def token_for(self, cookie: str) -> str:
        """The form token that goes with a cookie value."""
        return hmac.new(self.secret, cookie.encode("ascii"), hashlib.sha256).hexdigest()

    @staticmethod
    def new_cookie() -> str:
        """A fresh random cookie value."""
        return secrets.token_urlsafe(32)

    def valid(self, cookie: str | None, token: str | None) -> bool:
        """Whether ``token`` is the HMAC of ``cookie`` (both present)."""
        if not cookie or not token or not cookie.isascii():
            return False
        return hmac.compare_digest(self.token_for(cookie), token)


def same_origin(request: Request) -> bool:
    """A POST's ``Origin`` (when the browser sends one) must be this server."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


def refused(reason: str) -> Response:
    """403 with a plain reason."""
    return PlainTextResponse(f"403 Forbidden: {reason}", status_code=403)


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes (413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await PlainTextResponse("413 request body too large", status_code=413)(
                scope, receive, send
            )
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await PlainTextResponse("413 request body too large", status_code=413)(
                scope, receive, send
            )


class BodyTooLarge(Exception):
    """A streamed body went over the limit."""


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (no script at all) and friends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
