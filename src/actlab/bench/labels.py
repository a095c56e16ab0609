"""Short names of a task and a model, as a record shows them (``"mnist1d"``,
``"mlp(depth=2,width=100)"``): leaderboards group runs by these."""

from __future__ import annotations

from actlab.bench.config import ModelConfig, TaskConfig

REGRESSION_TASKS = ("square", "sin", "quintic", "abs")


def task_label(task: TaskConfig) -> str:
    """``"moons"``, ``"moons(noise=0.2)"``, ``"csv:/data/x.csv"``."""
    name = f"{task.name}:{task.path}" if task.path else task.name
    if task.options:
        name += "(" + ",".join(f"{k}={v}" for k, v in task.options) + ")"
    return name


def model_label(model: ModelConfig) -> str:
    """``"mlp(depth=2,width=100)"``, ``"mlp(depth=1,width=128,hidden_noise=0.1)"``,
    ``"cnn1d"``, ``"factory(pkg.mod:fn)"``."""
    if model.kind == "mlp":
        noise = f",hidden_noise={model.hidden_noise:g}" if model.hidden_noise else ""
        return f"mlp(depth={model.depth},width={model.width}{noise})"
    if model.kind == "factory":
        return f"factory({model.factory})"
    return model.kind


def task_metric(task: TaskConfig) -> tuple[str, bool]:
    """(metric name, higher is better) for a task: test loss for regression, else accuracy."""
    regression = task.name in REGRESSION_TASKS or dict(task.options).get("kind") == "regression"
    return ("test_loss", False) if regression else ("test_accuracy", True)
