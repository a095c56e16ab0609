"""The lecture notes' experiments as one-click setups.

* The XOR gate (its four inputs as clusters) with a perceptron (no hidden
  layer) fails: no single line separates them, so the loss stays near log 2.
* The XOR gate with two hidden sigmoid units works: two lines cut out the
  band that holds the two inputs of class 1.
* x² with six parallel ReLU units (1-6-1) against the serial 1-2-2-2-1 ReLU
  net: the same six units, arranged side by side or in depth.
"""

from __future__ import annotations

from dataclasses import dataclass

from actlab.web.protocol import ActivationChoice, Layer, Setup

RELU = ActivationChoice(name="relu")
SIGMOID = ActivationChoice(name="sigmoid")


@dataclass(frozen=True)
class Preset:
    title: str
    explanation: str
    setup: Setup


PRESETS: dict[str, Preset] = {
    "xor_perceptron": Preset(
        "XOR with a perceptron",
        "The XOR gate's four inputs (as small clusters) and no hidden layer: one straight "
        "boundary cannot separate them, so the loss stays near 0.69 (chance).",
        Setup(dataset="xor_gate", features=("x1", "x2"), layers=(), learning_rate=0.3,
              optimiser="adam", batch_size=10),
    ),
    "xor_two_sigmoid": Preset(
        "XOR with two sigmoid units",
        "One hidden layer of two sigmoid neurons is enough: two lines cut out the band "
        "that holds the class-1 inputs. Some initial weights get stuck with one cluster "
        "wrong (a local minimum): press 'new' beside the seed and train again.",
        Setup(dataset="xor_gate", features=("x1", "x2"),
              layers=(Layer(units=2, activation=SIGMOID),),
              learning_rate=0.3, optimiser="adam", batch_size=10),
    ),
    "square_parallel_relu": Preset(
        "x² with six parallel ReLUs (1-6-1)",
        "Six ReLU units side by side make a piecewise-linear curve with up to six kinks.",
        Setup(dataset="reg_square", features=("x1",), layers=(Layer(units=6, activation=RELU),),
              learning_rate=0.01, optimiser="adam", batch_size=10),
    ),
    "square_serial_relu": Preset(
        "x² with three layers of two ReLUs (1-2-2-2-1)",
        "The same six ReLU units arranged in depth: compare its fit with the parallel net.",
        Setup(dataset="reg_square", features=("x1",),
              layers=(Layer(units=2, activation=RELU),) * 3,
              learning_rate=0.01, optimiser="adam", batch_size=10),
    ),
}
