"""The playground's web app: static files at ``/`` and one WebSocket per tab at ``/ws``.

Each connection gets its own :class:`~actlab.web.session.Session`.  Two tasks
serve it: one reads and answers messages, one streams training frames while
the session plays.  Both run on the event loop thread, so a session's state is
never touched by two threads; training is done in small pieces (one epoch per
frame) so that many tabs share the loop.  Anything a message can do wrong ends
in an ``error`` reply; an unexpected exception closes only that tab's socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from actlab.web.activations import catalogue
from actlab.web.datasets import samples
from actlab.web.limits import Limits
from actlab.web.presets import PRESETS
from actlab.web.protocol import parse_message
from actlab.web.session import Session, error

log = logging.getLogger("actlab.web")
IDLE_CLOSE_CODE = 4000  # the tab said nothing for Limits.idle_seconds
FULL_CLOSE_CODE = 4001  # too many sessions


@dataclass
class Connection:
    """A session and the bookkeeping of its socket: send lock, rate bucket, last message."""

    id: int
    socket: WebSocket
    session: Session
    limits: Limits
    last_message: float = field(default_factory=time.monotonic)
    tokens: float = 0.0
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.tokens = float(self.limits.message_burst)
        self._refilled = time.monotonic()

    def allow(self) -> bool:
        """Token bucket: ``messages_per_second`` sustained, ``message_burst`` at once."""
        now = time.monotonic()
        self.tokens = min(float(self.limits.message_burst),
                          self.tokens + (now - self._refilled) * self.limits.messages_per_second)
        self._refilled = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    async def send(self, message: dict[str, Any]) -> None:
        text = json.dumps(message, separators=(",", ":"), allow_nan=False)
        async with self.send_lock:
            await self.socket.send_text(text)


class Sessions:
    """The open connections, bounded in number, and the sweeper of idle ones."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.open: dict[int, Connection] = {}
        self._ids = itertools.count(1)

    def add(self, socket: WebSocket) -> Connection | None:
        if len(self.open) >= self.limits.max_sessions:
            return None
        connection = Connection(next(self._ids), socket, Session(self.limits), self.limits)
        self.open[connection.id] = connection
        return connection

    def remove(self, connection: Connection) -> None:
        self.open.pop(connection.id, None)

    async def sweep_forever(self) -> None:
        period = max(0.05, min(5.0, self.limits.idle_seconds / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for connection in list(self.open.values()):
                if now - connection.last_message > self.limits.idle_seconds:
                    self.remove(connection)
                    with contextlib.suppress(Exception):  # the socket may be gone already
                        await connection.socket.close(IDLE_CLOSE_CODE, "idle")


async def _stream(connection: Connection) -> None:
    """While the session plays: one epoch, one frame, at most max_frames_per_second."""
    session = connection.session
    interval = 1.0 / connection.limits.max_frames_per_second
    while True:
        if not session.playing:
            connection.wake.clear()
            await connection.wake.wait()
            continue
        started = time.monotonic()
        try:
            frame = session.advance(connection.limits.train_seconds_per_frame)
        except Exception:  # a bug: say so in the log and in the tab, keep the server up
            log.exception("session %s: training failed", connection.id)
            session.playing = False
            await connection.send(error("internal error while training (see the server log)"))
            continue
        await connection.send(frame)
        if not session.playing:  # every network diverged
            await connection.send(session.status())
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))


async def _answer(connection: Connection, text: str) -> None:
    limits = connection.limits
    connection.last_message = time.monotonic()
    if len(text) > limits.max_message_bytes:
        await connection.send(error(f"message too large ({len(text)} bytes; "
                                    f"at most {limits.max_message_bytes})"))
        return
    if not connection.allow():
        await connection.send(error("too many messages: slow down"))
        return
    try:
        message = parse_message(text)
    except ValueError as err:
        await connection.send(error(str(err)))
        return
    try:
        replies = connection.session.handle(message)
    except Exception:  # a bug: say so in the log and in the tab, keep the server up
        log.exception("session %s: %s failed", connection.id, message.type)
        replies = [error(f"internal error on {message.type!r} (see the server log)")]
    for reply in replies:
        await connection.send(reply)
    if connection.session.playing:
        connection.wake.set()


async def websocket_endpoint(socket: WebSocket) -> None:
    sessions: Sessions = socket.app.state.sessions
    await socket.accept()
    connection = sessions.add(socket)
    if connection is None:
        await socket.send_text(json.dumps(error("the server has too many open playgrounds; "
                                                "close a tab and reload")))
        await socket.close(FULL_CLOSE_CODE, "full")
        return
    streamer = asyncio.create_task(_stream(connection))
    try:
        await connection.send({
            "type": "hello", "session": connection.id, "catalogue": catalogue(),
            "datasets": samples(),
            "presets": {name: {"title": p.title, "explanation": p.explanation}
                        for name, p in PRESETS.items()},
            "limits": {"max_layers": connection.limits.max_layers,
                       "max_units": connection.limits.max_units,
                       "max_points": connection.limits.max_points,
                       "grid": connection.limits.grid,
                       "thumbnail": connection.limits.thumbnail},
        })
        await connection.send(connection.session.state())
        await connection.send(connection.session.run.frame())
        while True:
            received = await socket.receive()
            if received["type"] == "websocket.disconnect":
                break
            text = received.get("text")
            if text is None:
                connection.last_message = time.monotonic()
                await connection.send(error("messages must be JSON text, not binary"))
                continue
            await _answer(connection, text)
    except WebSocketDisconnect:
        pass
    except RuntimeError as err:  # sending on a socket the sweeper or the client closed
        log.debug("session %s closed: %s", connection.id, err)
    finally:
        streamer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await streamer
        sessions.remove(connection)


def create_app(limits: Limits | None = None) -> Starlette:
    """The ASGI app; ``app.state.sessions`` holds the open sessions."""
    limits = limits or Limits()
    sessions = Sessions(limits)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        import torch

        torch.set_num_threads(1)  # tiny networks: threads cost more than they give
        sweeper = asyncio.create_task(sessions.sweep_forever())
        try:
            yield
        finally:
            sweeper.cancel()

    static = resources.files("actlab.web") / "static"
    app = Starlette(
        routes=[WebSocketRoute("/ws", websocket_endpoint),
                Mount("/", StaticFiles(directory=str(static), html=True), name="static")],
        lifespan=lifespan,
    )
    app.state.sessions = sessions
    return app
