"""The bounds every playground session lives within.

A session is one browser tab.  The bounds keep one tab (or a hostile client)
from taking the server down: networks, data and messages are small, messages
arrive at a bounded rate, and a tab that says nothing for a while is closed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_sessions: int = 64  # open tabs at once; the next one is refused
    idle_seconds: float = 600.0  # a tab silent this long is closed and its session removed
    max_message_bytes: int = 256 * 1024  # one message from the page (a CSV upload is the largest)
    max_points: int = 2000  # generated + uploaded + clicked points of one session
    max_layers: int = 6  # hidden layers
    max_units: int = 8  # neurons per hidden layer
    max_classes: int = 6  # classes of an uploaded CSV
    messages_per_second: float = 40.0  # sustained rate of messages from one tab
    message_burst: int = 80  # messages accepted at once before the rate applies
    max_frames_per_second: float = 60.0  # training frames streamed to one tab
    train_seconds_per_frame: float = 0.010  # training between two frames, at most an epoch
    grid: int = 100  # heat-map resolution (grid × grid)
    thumbnail: int = 20  # per-neuron thumbnail resolution
