"""A playground session without a server: data, training, compare mode, reset, export."""

from __future__ import annotations

import base64
import io
import math
import types

import numpy as np
import pytest
import torch

from actlab.web.limits import Limits
from actlab.web.protocol import ActivationChoice, Layer, Setup, parse_message
from actlab.web.session import Session
from exported_playground_model import assert_export_rebuilds_the_network

TANH = ActivationChoice(name="tanh")


def handle(session: Session, message: dict) -> list[dict]:
    import json

    return session.handle(parse_message(json.dumps(message)))


def linear_weights(session: Session, net: int = 0) -> list[torch.Tensor]:
    model = session.run.trainers[net].model
    return [p.detach().clone() for name, p in model.named_parameters()]


def test_xor_with_a_hidden_layer_learns() -> None:
    setup = Setup(dataset="xor", layers=(Layer(units=4, activation=TANH),), optimiser="adam",
                  learning_rate=0.03)
    session = Session(Limits(), setup)
    first = session.run.frame()["nets"][0]["test_loss"]
    for _ in range(60):
        frame = session.advance()
    last = frame["nets"][0]["test_loss"]
    assert last < 0.3 < first


def test_frame_carries_grid_thumbnails_weights_and_diagnostics() -> None:
    limits = Limits()
    session = Session(limits, Setup(layers=(Layer(units=3), Layer(units=2))))
    net = session.advance()["nets"][0]
    assert len(base64.b64decode(net["heat"])) == limits.grid**2
    assert [len(base64.b64decode(layer)) for layer in net["neurons"]] == [
        3 * limits.thumbnail**2, 2 * limits.thumbnail**2]
    assert [np.shape(w) for w in net["weights"]] == [(3, 2), (2, 3), (1, 2)]
    assert [len(b) for b in net["biases"]] == [3, 2, 1]  # the output bias too
    assert len(net["layers"]) == 2 and 0 <= net["layers"][0]["dead"] <= 1


def test_dead_relu_neurons_are_marked() -> None:
    session = Session(Limits(), Setup(layers=(Layer(units=4, activation=ActivationChoice(
        name="relu")),)))
    first = session.run.trainers[0].model[0]
    with torch.no_grad():  # neuron 0 can never fire on the plane [-6, 6]²: dead by construction
        first.weight[0] = 0.0
        first.bias[0] = -1.0
    frame = session.run.frame()["nets"][0]
    assert frame["dead"][0][0] is True
    assert frame["layers"][0]["dead"] >= 0.25  # actlab.diagnose counts it too


def test_saturated_sigmoid_neurons_are_marked() -> None:
    session = Session(Limits(), Setup(layers=(Layer(units=2, activation=ActivationChoice(
        name="sigmoid")),)))
    first = session.run.trainers[0].model[0]
    with torch.no_grad():
        first.weight[1] = 0.0
        first.bias[1] = 50.0  # sigmoid'(50) ~ 2e-22
    frame = session.run.frame()["nets"][0]
    assert frame["saturated"][0] == [False, True]


def test_reset_restores_the_initial_weights_and_new_weights_follow_the_seed() -> None:
    session = Session(Limits(), Setup(weight_seed=7))
    initial = linear_weights(session)
    for _ in range(3):
        session.advance()
    assert not torch.equal(initial[0], linear_weights(session)[0])
    handle(session, {"type": "reset"})
    assert all(torch.equal(a, b) for a, b in zip(initial, linear_weights(session), strict=True))
    assert session.run.epoch == 0
    handle(session, {"type": "new_weights", "seed": 8})
    assert session.setup.weight_seed == 8
    assert not torch.equal(initial[0], linear_weights(session)[0])
    handle(session, {"type": "new_weights", "seed": 7})
    assert all(torch.equal(a, b) for a, b in zip(initial, linear_weights(session), strict=True))


def test_compare_mode_trains_in_lock_step_from_the_same_weights() -> None:
    same = Session(Limits(), Setup(compare=TANH))  # B uses A's activation: must stay equal
    for _ in range(5):
        same.advance()
    assert all(torch.equal(a, b) for a, b in zip(linear_weights(same, 0),
                                                  linear_weights(same, 1), strict=True))
    other = Session(Limits(), Setup(compare=ActivationChoice(name="relu")))
    assert all(torch.equal(a, b) for a, b in zip(linear_weights(other, 0),
                                                  linear_weights(other, 1), strict=True))
    other.advance()
    assert not torch.equal(linear_weights(other, 0)[0], linear_weights(other, 1)[0])
    assert len(other.run.frame()["nets"]) == 2


def test_a_run_that_blows_up_is_shown_and_can_be_reset() -> None:
    relu = ActivationChoice(name="relu")
    setup = Setup(dataset="reg_plane", layers=(Layer(units=8, activation=relu),) * 3,
                  learning_rate=10.0, batch_size=1)
    session = Session(Limits(), setup)
    session.playing = True
    for _ in range(20):
        frame = session.advance()
        if not session.playing:
            break
    assert frame["nets"][0]["diverged"] is True
    assert not session.playing  # every network diverged: play stops by itself
    replies = handle(session, {"type": "reset"})
    assert replies[0]["diverged"] == [False]
    assert math.isfinite(session.run.frame()["nets"][0]["train_loss"])


def test_three_classes_use_softmax_outputs() -> None:
    session = Session(Limits(), Setup(dataset="gauss3", optimiser="adam"))
    assert session.arch.outputs == 3
    for _ in range(20):
        frame = session.advance()
    net = frame["nets"][0]
    classes = np.frombuffer(base64.b64decode(net["heat_class"]), dtype=np.uint8)
    assert set(np.unique(classes)) == {0, 1, 2}
    assert net["test_loss"] < 0.5


def test_user_errors_leave_the_session_as_it_was() -> None:
    session = Session(Limits(), Setup())
    before = session.setup
    bad = Setup(layers=(Layer(units=2, activation=ActivationChoice(name="no_such_thing")),))
    replies = handle(session, {"type": "setup", "setup": bad.model_dump()})
    assert replies[0]["type"] == "error" and "no_such_thing" in replies[0]["message"]
    softmax = Setup(layers=(Layer(units=2, activation=ActivationChoice(name="softmax")),))
    replies = handle(session, {"type": "setup", "setup": softmax.model_dump()})
    assert replies[0]["type"] == "error" and "elementwise" in replies[0]["message"]
    bad_param = Setup(layers=(Layer(units=2, activation=ActivationChoice(
        name="elu", params={"nope": 1.0})),))
    replies = handle(session, {"type": "setup", "setup": bad_param.model_dump()})
    assert replies[0]["type"] == "error"
    assert session.setup == before
    assert session.advance()["type"] == "frame"


def test_activation_parameters_reach_the_torch_module() -> None:
    elu = ActivationChoice(name="elu", params={"alpha": 0.25})
    session = Session(Limits(), Setup(layers=(Layer(units=2, activation=elu),)))
    module = session.run.trainers[0].model[1]
    assert float(module(torch.tensor([-100.0]))) == pytest.approx(-0.25)
    state = session.state()
    assert state["activations"][0]["params"] == [
        {"name": "alpha", "value": 0.25, "doc": state["activations"][0]["params"][0]["doc"],
         "integer": False}]


def test_csv_upload_and_clicked_points() -> None:
    session = Session(Limits(), Setup())
    rows = "x1,x2,label\n" + "\n".join(f"{x},{-x},{int(x > 0)}" for x in np.linspace(-5, 5, 40))
    replies = handle(session, {"type": "upload_csv", "text": rows})
    assert replies[0]["type"] == "state" and replies[0]["setup"]["dataset"] == "custom"
    assert len(replies[0]["train"]) + len(replies[0]["test"]) == 40
    replies = handle(session, {"type": "add_point", "x": 1.0, "y": 2.0, "label": 1})
    assert [1.0, 2.0, 1.0] in replies[0]["train"]
    assert len(session.run.data.train_y) == len(replies[0]["train"])
    replies = handle(session, {"type": "add_point", "x": 1.0, "y": 2.0, "label": 3})
    assert replies[0]["type"] == "error"
    # a clicked point stays a training point when the network or the split changes
    changed = session.setup.model_copy(update={"layers": (Layer(units=3),), "train_ratio": 0.3})
    replies = handle(session, {"type": "setup", "setup": changed.model_dump()})
    assert [1.0, 2.0, 1.0] in replies[0]["train"] and [1.0, 2.0, 1.0] not in replies[0]["test"]
    assert len(replies[0]["train"]) + len(replies[0]["test"]) == 41


@pytest.mark.parametrize(("text", "complaint"), [
    ("1,2\n", "3 columns"),
    ("1,2,0\n1,b,1\n", "line 2"),
    ("1,2,0\n9,1,1\n1,1,0\n2,2,1\n", "[-6, 6]"),
    ("1,2,0\n", "at least 4"),
    ("1,1,0\n2,2,0\n3,3,0\n4,4,0\n", "one class"),
    ("1,1,0\n2,2,9\n3,3,1\n4,4,1\n", "classes"),
    ("1,1,nan\n2,2,0\n3,3,1\n4,4,1\n", "finite"),
])
def test_bad_csv_files_get_a_clear_error(text: str, complaint: str) -> None:
    session = Session(Limits(), Setup())
    replies = handle(session, {"type": "upload_csv", "text": text})
    assert replies[0]["type"] == "error" and complaint in replies[0]["message"]
    assert session.setup.dataset == "circle"


def test_a_csv_with_more_points_than_the_limit_is_refused() -> None:
    session = Session(Limits(max_points=50), Setup())
    rows = "\n".join(f"{x},{x},{int(x > 0)}" for x in np.linspace(-5, 5, 51))
    replies = handle(session, {"type": "upload_csv", "text": rows})
    assert replies[0]["type"] == "error" and "50" in replies[0]["message"]


def test_export_rebuilds_the_same_network_with_actlab_modules(tmp_path) -> None:
    elu = ActivationChoice(name="elu", params={"alpha": 0.5})
    setup = Setup(dataset="spiral", features=("x1", "x2", "sin_x1", "x1_x2"),
                  layers=(Layer(units=5, activation=elu), Layer(units=3)), optimiser="adam")
    session = Session(Limits(), setup)
    for _ in range(3):
        session.advance()
    exported = handle(session, {"type": "export"})[0]
    assert_export_rebuilds_the_network(exported, session, tmp_path)
    assert exported["setup"]["layers"][0]["activation"] == {"name": "elu", "params": {"alpha": 0.5}}
    state = torch.load(io.BytesIO(base64.b64decode(exported["state_dict"])), weights_only=True)
    assert set(state) == set(session.run.trainers[0].model.state_dict())


def test_presets_of_the_lecture_notes() -> None:
    """The XOR gate: a perceptron stays at chance whatever its start; two sigmoid units solve
    it from the preset's initial weights (others may stop in a local minimum)."""
    for seed in (0, 1):
        session = Session(Limits())
        handle(session, {"type": "preset", "name": "xor_perceptron"})
        handle(session, {"type": "new_weights", "seed": seed})
        for _ in range(60):
            session.run.train_epoch()
        assert session.run.frame()["nets"][0]["test_loss"] > 0.6  # log 2 = 0.69 is chance
    session = Session(Limits())
    handle(session, {"type": "preset", "name": "xor_two_sigmoid"})
    for _ in range(60):
        session.run.train_epoch()
    assert session.run.frame()["nets"][0]["test_loss"] < 0.05
    for name in ("square_parallel_relu", "square_serial_relu"):
        session = Session(Limits())
        handle(session, {"type": "preset", "name": name})
        assert session.arch.widths() == ([1, 6, 1] if "parallel" in name else [1, 2, 2, 2, 1])


def test_describe_sends_formula_parameters_and_sampled_curves() -> None:
    session = Session(Limits(), Setup())
    reply = handle(session, {"type": "describe",
                             "activation": {"name": "elu", "params": {"alpha": 0.5}}})[0]
    info = reply["activation"]
    assert info["name"] == "elu" and "α" in info["formula"]
    assert info["params"][0]["name"] == "alpha" and info["params"][0]["value"] == 0.5
    x = np.array(info["x"])
    assert np.allclose(info["f"], np.where(x > 0, x, 0.5 * np.expm1(x)), atol=1e-5)
    assert np.allclose(info["df"], np.where(x > 0, 1.0, 0.5 * np.exp(x)), atol=1e-5)


def test_compare_mode_exports_network_b() -> None:
    session = Session(Limits(), Setup(compare=ActivationChoice(name="softplus",
                                                               params={"beta": 2.0})))
    session.advance()
    exported = handle(session, {"type": "export", "net": 1})[0]
    assert "actlab.get('softplus'" in exported["script"] and "beta=2.0" in exported["script"]
    module = types.ModuleType("exported_b")
    module.__file__ = "model_b.py"
    exec(compile(exported["script"], "model_b.py", "exec"), module.__dict__)
    rebuilt = module.build()
    rebuilt.load_state_dict(torch.load(io.BytesIO(base64.b64decode(exported["state_dict"])),
                                       weights_only=True))
    with torch.no_grad():
        assert torch.equal(rebuilt(session.run.data.test_x),
                           session.run.trainers[1].model(session.run.data.test_x))
    alone = Session(Limits(), Setup())
    assert handle(alone, {"type": "export", "net": 1})[0]["type"] == "error"
