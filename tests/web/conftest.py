"""A real playground server (uvicorn in a thread on a free loopback port) and a client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from actlab.web.limits import Limits
from actlab.web.server import create_app


@dataclass
class Served:
    url: str  # http://127.0.0.1:PORT
    app: Any

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"


def start_server(limits: Limits) -> tuple[Served, Callable[[], None]]:
    import uvicorn

    app = create_app(limits)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                            ws_max_size=4 * limits.max_message_bytes, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the playground server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return Served(f"http://127.0.0.1:{port}", app), stop


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    handle, stop = start_server(Limits())
    try:
        yield handle
    finally:
        stop()


class Client:
    """A blocking WebSocket client that reads replies by type."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        from websockets.sync.client import connect

        self._context = connect(url, open_timeout=timeout, max_size=None)
        self.socket = self._context.__enter__()
        self.timeout = timeout

    def send(self, message: dict[str, Any] | str | bytes) -> None:
        self.socket.send(message if isinstance(message, (str, bytes)) else json.dumps(message))

    def receive(self) -> dict[str, Any]:
        return json.loads(self.socket.recv(timeout=self.timeout))

    def until(self, kind: str, limit: int = 500) -> dict[str, Any]:
        """The next message of this type (others are skipped)."""
        for _ in range(limit):
            message = self.receive()
            if message["type"] == kind:
                return message
        raise AssertionError(f"no {kind!r} message in {limit} messages")

    def close(self) -> None:
        self._context.__exit__(None, None, None)


@pytest.fixture
def make_server() -> Iterator[Callable[[Limits], Served]]:
    """Start servers with other limits; they stop at the end of the test."""
    stops: list[Callable[[], None]] = []

    def make(limits: Limits) -> Served:
        handle, stop = start_server(limits)
        stops.append(stop)
        return handle

    try:
        yield make
    finally:
        for stop in stops:
            stop()


@pytest.fixture
def connect() -> Iterator[Callable[..., Client]]:
    """Open clients; they close at the end of the test."""
    opened: list[Client] = []

    def open_client(url: str, timeout: float = 30.0) -> Client:
        opened.append(Client(url, timeout))
        return opened[-1]

    try:
        yield open_client
    finally:
        for each in opened:
            each.close()


@pytest.fixture
def client(served: Served) -> Iterator[Client]:
    connection = Client(served.ws_url)
    try:
        yield connection
    finally:
        connection.close()
