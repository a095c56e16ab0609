"""The server over real WebSockets: validation, isolation, limits, concurrency, idle clean-up."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from actlab.web.limits import Limits
from actlab.web.protocol import Layer, Setup


def test_the_page_and_its_scripts_are_served(served) -> None:
    for path, marker in [("/", b"actlab"), ("/app.js", b"WebSocket"), ("/style.css", b"--blue")]:
        with urllib.request.urlopen(served.url + path, timeout=30) as response:
            assert response.status == 200 and marker in response.read()


def test_a_new_tab_gets_hello_state_and_a_frame(client) -> None:
    hello = client.receive()
    assert hello["type"] == "hello"
    assert "relu" in {entry["name"] for entry in hello["catalogue"]}
    assert "softmax" not in {entry["name"] for entry in hello["catalogue"]}  # not elementwise
    assert set(hello["presets"]) >= {"xor_perceptron", "xor_two_sigmoid"}
    assert client.receive()["type"] == "state"
    assert client.receive()["type"] == "frame"


def test_play_streams_frames_and_pause_stops_them(client) -> None:
    client.until("frame")
    client.send({"type": "play"})
    steps = [client.until("frame")["steps"] for _ in range(5)]
    assert steps == sorted(steps) and len(set(steps)) == 5
    client.send({"type": "pause"})
    status = client.until("status")
    while status["playing"]:
        status = client.until("status")
    paused = client.until("frame")["steps"]  # pause answers with a fresh frame
    client.send({"type": "step"})  # to the end of the epoch
    after = client.until("frame")
    while after["steps"] <= paused:  # a frame streamed just before the pause may trail it
        after = client.until("frame")
    assert after["epoch"] >= 1
    client.until("status")  # the step's status; then nothing more: the stream has stopped
    with pytest.raises(TimeoutError):
        client.socket.recv(timeout=1.5)


def test_junk_gets_an_error_reply_and_the_session_goes_on(client) -> None:
    client.until("frame")
    junk = ["not json", "{}", '{"type": "play", "x": 1}', b"\x00\x01binary",
            '{"type": "setup", "setup": {"layers": [{"units": 100}]}}',
            json.dumps({"type": "describe", "activation": {"name": "no_such_activation"}}),
            "x" * (Limits().max_message_bytes + 1)]
    for message in junk:
        client.send(message)
        reply = client.until("error")
        assert reply["message"]
    client.send({"type": "step"})
    assert client.until("frame")["epoch"] == 1


def test_a_hostile_tab_does_not_disturb_another(served, connect) -> None:
    calm, hostile = connect(served.ws_url), connect(served.ws_url)
    calm.until("frame")
    hostile.until("frame")
    for _ in range(200):  # a flood: past the rate limit, replies say so
        hostile.send("{" * 1000)
    calm.send({"type": "step"})
    assert calm.until("frame")["epoch"] == 1
    errors = [hostile.until("error")["message"] for _ in range(150)]
    assert any("too many messages" in e for e in errors)


def test_twenty_concurrent_sessions_train_without_a_crash(served, connect) -> None:
    setup = Setup(dataset="xor", layers=(Layer(units=8), Layer(units=8)))
    results: dict[int, int] = {}
    failures: list[BaseException] = []

    def tab(index: int) -> None:
        try:
            client = connect(served.ws_url, timeout=60)
            client.until("frame")
            client.send({"type": "setup", "setup": setup.model_copy(
                update={"weight_seed": index}).model_dump()})
            client.until("state")
            client.send({"type": "play"})
            frames = 0
            while frames < 10:
                client.until("frame")
                frames += 1
            client.send({"type": "pause"})
            results[index] = frames
            client.close()
        except BaseException as err:  # reported below, in the test's thread
            failures.append(err)

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not failures, failures[:3]
    assert len(results) == 20
    deadline = time.monotonic() + 10
    while served.app.state.sessions.open and time.monotonic() < deadline:
        time.sleep(0.05)  # closed tabs are removed
    assert not served.app.state.sessions.open


def test_idle_sessions_are_closed_and_removed(make_server, connect) -> None:
    from websockets.exceptions import ConnectionClosed

    served = make_server(Limits(idle_seconds=0.5))
    client = connect(served.ws_url)
    client.until("frame")
    assert len(served.app.state.sessions.open) == 1
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(100):
            client.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4000
    assert not served.app.state.sessions.open


def test_sessions_beyond_the_limit_are_refused(make_server, connect) -> None:
    served = make_server(Limits(max_sessions=2))
    first, second = connect(served.ws_url), connect(served.ws_url)
    first.until("frame")
    second.until("frame")
    third = connect(served.ws_url)
    assert "too many" in third.receive()["message"]
    first.send({"type": "step"})
    assert first.until("frame")["epoch"] == 1
