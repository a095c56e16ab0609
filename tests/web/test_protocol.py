"""Every message from the page is validated before a session sees it."""

from __future__ import annotations

import json

import pytest

from actlab.web.protocol import AddPointMessage, Setup, SetupMessage, parse_message


def test_each_action_parses_into_its_own_type() -> None:
    message = parse_message('{"type": "add_point", "x": 1, "y": -2.5, "label": 1}')
    assert isinstance(message, AddPointMessage) and message.y == -2.5
    setup = parse_message(json.dumps({"type": "setup", "setup": Setup().model_dump()}))
    assert isinstance(setup, SetupMessage) and setup.setup == Setup()
    for kind in ("play", "pause", "step", "reset", "regenerate", "export"):
        assert parse_message(json.dumps({"type": kind})).type == kind


@pytest.mark.parametrize("text", [
    "", "not json", "[]", "42", "null", '{"no_type": 1}', '{"type": "launch_missiles"}',
    '{"type": "play", "extra": 1}',  # unknown fields are errors
    '{"type": "add_point", "x": NaN, "y": 0, "label": 0}',
    '{"type": "add_point", "x": 1e400, "y": 0, "label": 0}',
    '{"type": "add_point", "x": 7, "y": 0, "label": 0}',  # outside the plane
    '{"type": "add_point", "x": "1", "y": 0}',
    '{"type": "new_weights", "seed": -1}',
    '{"type": "preset", "name": "../../etc/passwd"}',
    '{"type": "describe", "activation": {"name": "__import__(\'os\').system(\'ls\')"}}',
    '{"type": "describe", "activation": {"name": "elu", "params": {"alpha": "1+1"}}}',
    '{"type": "setup", "setup": {"layers": [{"units": 9}]}}',
    '{"type": "setup", "setup": {"layers": [' + ",".join(['{"units": 1}'] * 7) + "]}}",
    '{"type": "setup", "setup": {"features": ["x1", "x1"]}}',
    '{"type": "setup", "setup": {"features": ["x3"]}}',
    '{"type": "setup", "setup": {"learning_rate": 0}}',
    '{"type": "setup", "setup": {"dataset": "mnist"}}',
    '{"type": "setup", "setup": {"points": 100000000}}',
    "[" * 100000 + "]" * 100000,  # deep nesting
])
def test_junk_is_rejected_with_a_readable_reason(text: str) -> None:
    with pytest.raises(ValueError, match="invalid message"):
        parse_message(text)
