"""Limits that keep one request from taking the service down: body size, and time.

* :class:`BodySizeLimit` refuses a body over the limit with 413, by its ``Content-Length``
  before reading it, or as soon as a chunked body passes the limit.
* :class:`Computations` runs the pay engine in a small pool of threads, off the event loop,
  and answers 503 when a request has waited and computed longer than its time limit. Python
  cannot stop a thread, so a computation that overran finishes in the background, holding
  its thread; the pool is bounded, so overruns queue instead of piling up.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodySizeLimit", "Computations", "TimeLimitExceeded", "problem_body"]

T = TypeVar("T")


def problem_body(location: str, message: str, source: str = "request") -> bytes:
    """A ``{"problems": [...]}`` body with one problem, as every refusal has."""
    problem = {"source": source, "location": location, "message": message}
    return json.dumps({"problems": [problem]}, ensure_ascii=False).encode("utf-8")


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = problem_body(
            "body", f"the request body is larger than the service's limit of {self.limit} bytes"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class TimeLimitExceeded(Exception):
    """A request waited and computed longer than the service allows."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the request took longer than the service's limit of {seconds:g} s")


class Computations:
    """A bounded pool of threads for pay computations, each call with a time limit."""

    def __init__(self, workers: int, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="paycalc")

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        future = asyncio.get_running_loop().run_in_executor(self._pool, function, *args)
        try:
            return await asyncio.wait_for(future, self.timeout_seconds)
        except TimeoutError:
            raise TimeLimitExceeded(self.timeout_seconds) from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
