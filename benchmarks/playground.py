"""Heat-map updates per second of `actlab serve`, and 20 concurrent sessions.

Starts `actlab serve` as a subprocess on a free loopback port (127.0.0.1 only),
connects WebSocket clients over loopback and lets the sessions play for a fixed
time (every loop is bounded and stops by itself):

1. one tab with a 2-8-8-1 tanh network on XOR (the 100×100 heat map, neuron
   thumbnails, weights and diagnostics in every frame): frames per second, the
   server's CPU time per wall second (from /proc, Linux), and frames per
   second of server CPU time — the rate one free core sustains, which a busy
   machine cannot show as wall-clock frames per second;
2. the baseline, in this process: the same training and frame computed
   without a server (frames per CPU second), and the served rate as a ratio to
   it (the cost of the server, WebSocket and JSON);
3. twenty tabs playing at once: frames per second per tab, errors, and whether
   the server still answers a new tab afterwards.

Run:  python benchmarks/playground.py [--seconds 10] [--tabs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from actlab.web.limits import Limits

SETUP = {  # 2-8-8-1: two inputs, two hidden layers of 8 tanh neurons, one output
    "dataset": "xor", "features": ["x1", "x2"],
    "layers": [{"units": 8, "activation": {"name": "tanh", "params": {}}}] * 2,
    "learning_rate": 0.03, "batch_size": 10,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tab:
    frames: int = 0
    errors: int = 0
    failure: str = ""


def play(url: str, seconds: float, tab: Tab, seed: int) -> None:
    """One tab: set the network up, play for ``seconds``, count frames (bounded by time)."""
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=30, max_size=None) as ws:
            setup = {**SETUP, "weight_seed": seed}
            ws.send(json.dumps({"type": "setup", "setup": setup}))
            while json.loads(ws.recv(timeout=30))["type"] != "state":
                pass
            ws.send(json.dumps({"type": "play"}))
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                message = json.loads(ws.recv(timeout=30))
                if message["type"] == "frame":
                    tab.frames += 1
                elif message["type"] == "error":
                    tab.errors += 1
            ws.send(json.dumps({"type": "pause"}))
    except Exception as err:  # reported in the table, not raised
        tab.failure = f"{type(err).__name__}: {err}"


def run_tabs(url: str, tabs: int, seconds: float) -> list[Tab]:
    results = [Tab() for _ in range(tabs)]
    threads = [threading.Thread(target=play, args=(url, seconds, results[i], i))
               for i in range(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return results


def frame_cost(seconds: float) -> float:
    """CPU milliseconds of one frame alone (no training): the forward passes, bytes and JSON."""
    import torch

    from actlab.web.limits import Limits
    from actlab.web.protocol import Setup
    from actlab.web.session import Session

    torch.set_num_threads(1)
    session = Session(Limits(), Setup.model_validate(SETUP))
    frames, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        json.dumps(session.run.frame(), separators=(",", ":"))
        frames += 1
    return (time.process_time() - cpu) / frames * 1e3


def baseline(seconds: float) -> float:
    """Frames per CPU second of the same session stepped in this process, with no server."""
    import torch

    from actlab.web.limits import Limits
    from actlab.web.protocol import Setup
    from actlab.web.session import Session

    torch.set_num_threads(1)
    limits = Limits()
    session = Session(limits, Setup.model_validate(SETUP))
    frames, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        json.dumps(session.advance(limits.train_seconds_per_frame), separators=(",", ":"))
        frames += 1
    return frames / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="play time of each part")
    parser.add_argument("--tabs", type=int, default=20, help="concurrent tabs in part 3")
    args = parser.parse_args()

    port = free_port()
    actlab = [sys.executable, "-m", "actlab.cli", "serve", "--port", str(port), "--quiet"]
    server = subprocess.Popen(actlab, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.2)
        url = f"ws://127.0.0.1:{port}/ws"

        cpu0, wall0 = cpu_seconds(server.pid), time.monotonic()
        one = run_tabs(url, 1, args.seconds)[0]
        cpu, wall = cpu_seconds(server.pid) - cpu0, time.monotonic() - wall0
        served_fps = one.frames / args.seconds
        per_cpu = one.frames / cpu if cpu > 0 else float("nan")
        local = baseline(min(args.seconds, 5.0))
        print(f"1 tab, 2-8-8-1 tanh on XOR, {args.seconds:g} s of play "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        print(f"  heat-map updates per second         {served_fps:8.1f}  (target >= 30; "
              "the server caps a tab at 60)")
        print(f"  server CPU per wall second          {cpu / wall:8.2f}  cores (target < 1)")
        print(f"  updates per server CPU second       {per_cpu:8.1f}  (what one free core gives)")
        print(f"  same work in-process, no server     {local:8.1f}  frames per CPU second")
        print(f"  served / in-process                 {per_cpu / local:8.2f}")
        budget = Limits().train_seconds_per_frame * 1e3
        cost = frame_cost(min(args.seconds, 5.0))
        print(f"  one frame without training          {cost:8.1f}  CPU ms, in-process (the rest "
              f"of a frame is training: at most {budget:g} ms)")
        if one.failure:
            print(f"  failure: {one.failure}")

        cpu0, wall0 = cpu_seconds(server.pid), time.monotonic()
        many = run_tabs(url, args.tabs, args.seconds)
        cpu, wall = cpu_seconds(server.pid) - cpu0, time.monotonic() - wall0
        rates = sorted(t.frames / args.seconds for t in many)
        failures = [t.failure for t in many if t.failure]
        print(f"{args.tabs} tabs playing at once, {args.seconds:g} s")
        print(f"  frames per second per tab           min {rates[0]:.1f}, "
              f"median {rates[len(rates) // 2]:.1f}, max {rates[-1]:.1f}")
        print(f"  frames per second, all tabs         {sum(rates):8.1f}")
        print(f"  server CPU per wall second          {cpu / wall:8.2f}  cores")
        print(f"  error replies {sum(t.errors for t in many)}, failed tabs {len(failures)}")
        for failure in failures[:3]:
            print(f"    {failure}")
        after = run_tabs(url, 1, 1.0)[0]
        alive = server.poll() is None and after.frames > 0 and not after.failure
        print(f"  server alive and serving a new tab  {'yes' if alive else 'NO'}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
