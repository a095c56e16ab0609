"""The messages between the page and the server, as typed models (see docs/playground.md).

Every message from the page is one JSON object whose ``type`` names the action;
:data:`CLIENT_MESSAGE` validates it against the model of that type (a
discriminated union), so a message with a missing, extra, mistyped or
out-of-range field is rejected before the session sees it.  Numbers must be
finite; names are short identifiers.  Nothing a page sends is evaluated:
activation names go through :func:`actlab.get` and parameters are numbers.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

Feature = Literal["x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2"]
FEATURES: tuple[Feature, ...] = ("x1", "x2", "x1_sq", "x2_sq", "x1_x2", "sin_x1", "sin_x2")
DatasetName = Literal[
    "circle", "xor", "gauss", "spiral",  # two classes, as in TensorFlow Playground
    "xor_gate",  # two classes: the XOR gate's four inputs as clusters
    "gauss3", "spiral3",  # three classes
    "reg_plane", "reg_gauss", "reg_square",  # regression
    "custom",  # uploaded or clicked points
]
Optimiser = Literal["sgd", "momentum", "adam"]
Regularisation = Literal["none", "l1", "l2"]
SEED_MAX = 2**31 - 1


class Strict(BaseModel):
    """Unknown fields, NaN and infinities are errors."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class ActivationChoice(Strict):
    name: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_]+$")
    params: dict[Annotated[str, Field(max_length=40, pattern=r"^[A-Za-z0-9_]+$")],
                 Annotated[float, Field(ge=-1e6, le=1e6)]] = Field(default_factory=dict,
                                                                   max_length=8)


class Layer(Strict):
    units: int = Field(ge=1, le=8)
    activation: ActivationChoice = ActivationChoice(name="tanh")


class Setup(Strict):
    """Everything that defines a playground run; the page keeps it in its URL."""

    dataset: DatasetName = "circle"
    noise: float = Field(default=0.0, ge=0.0, le=0.5)  # TensorFlow Playground's slider / 100
    train_ratio: float = Field(default=0.5, ge=0.1, le=0.9)
    points: int = Field(default=500, ge=20, le=2000)  # generated points (train + test)
    data_seed: int = Field(default=0, ge=0, le=SEED_MAX)
    features: tuple[Feature, ...] = Field(default=("x1", "x2"), min_length=1, max_length=7)
    layers: tuple[Layer, ...] = Field(default=(Layer(units=4), Layer(units=2)),
                                       max_length=6)
    learning_rate: float = Field(default=0.03, gt=0.0, le=10.0)
    batch_size: int = Field(default=10, ge=1, le=500)
    optimiser: Optimiser = "sgd"
    regularisation: Regularisation = "none"
    regularisation_rate: float = Field(default=0.0, ge=0.0, le=10.0)
    weight_seed: int = Field(default=0, ge=0, le=SEED_MAX)
    compare: ActivationChoice | None = None  # network B: every hidden layer uses this

    @field_validator("features")
    @classmethod
    def _distinct(cls, value: tuple[Feature, ...]) -> tuple[Feature, ...]:
        if len(set(value)) != len(value):
            raise ValueError("features must be distinct")
        return value


# --- messages from the page: one type per action ------------------------------------------
class SetupMessage(Strict):
    type: Literal["setup"]
    setup: Setup


class PlayMessage(Strict):
    type: Literal["play"]


class PauseMessage(Strict):
    type: Literal["pause"]


class StepMessage(Strict):
    type: Literal["step"]


class ResetMessage(Strict):
    """Back to the initial weights of this seed (the data and setup stay)."""

    type: Literal["reset"]


class NewWeightsMessage(Strict):
    """Draw new initial weights from ``seed`` (a fresh one when omitted)."""

    type: Literal["new_weights"]
    seed: int | None = Field(default=None, ge=0, le=SEED_MAX)


class RegenerateMessage(Strict):
    """Draw the data set again with a new data seed."""

    type: Literal["regenerate"]


class AddPointMessage(Strict):
    type: Literal["add_point"]
    x: float = Field(ge=-6.0, le=6.0)
    y: float = Field(ge=-6.0, le=6.0)
    label: float = Field(ge=-1.0, le=5.0)  # class index, or the target of a regression set


class UploadCsvMessage(Strict):
    type: Literal["upload_csv"]
    text: str = Field(max_length=256 * 1024)


class ExportMessage(Strict):
    type: Literal["export"]
    net: int = Field(default=0, ge=0, le=1)  # 1: network B of compare mode


class DescribeMessage(Strict):
    """Ask for an activation's formula and sampled f and f' (for edited parameters)."""

    type: Literal["describe"]
    activation: ActivationChoice


class PresetMessage(Strict):
    type: Literal["preset"]
    name: str = Field(max_length=40, pattern=r"^[a-z0-9_]+$")


ClientMessage = Annotated[
    SetupMessage | PlayMessage | PauseMessage | StepMessage | ResetMessage | NewWeightsMessage
    | RegenerateMessage | AddPointMessage | UploadCsvMessage | ExportMessage | DescribeMessage
    | PresetMessage,
    Field(discriminator="type"),
]
CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


def parse_message(text: str | bytes) -> ClientMessage:
    """The typed message, or :class:`ValueError` with a short reason a person can read."""
    try:
        return CLIENT_MESSAGE.validate_json(text)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise ValueError(f"invalid message: {where}: {first['msg']}{more}") from None
