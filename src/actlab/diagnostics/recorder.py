"""``actlab.diagnose(model)``: per-layer activation statistics and gradient flow for any model.

Usage::

    with actlab.diagnose(model) as diag:
        for x, y in batches:
            loss = loss_fn(model(x), y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            diag.step()            # closes the record of this training step
    print(diag.log.table())        # tidy table: one row per (step, layer)

Recorded per activation layer and step: mean and std of the output, the
fraction of saturated elements (|f'(input)| below ``saturation_threshold``),
the fraction of dead units (output exactly zero for every sample of the batch,
and over the last ``window`` steps) and the norm of the gradient reaching the
layer's output; per weight layer, the norm of its weight gradient.  Statistics
are gathered under ``torch.no_grad`` with one host transfer per layer and step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import torch_backend
from actlab.diagnostics.layers import activation_layers, weight_layers
from actlab.errors import UserError

NEVER = -(2**62)  # "last fired at step NEVER": silent over any window

STAT_COLUMNS = ("mean", "std", "saturated", "dead_batch", "dead_window")


@dataclass
class DiagnosticsLog:
    """What a :class:`Diagnostics` run recorded: tidy rows and per-layer histograms."""

    layers: list[str]  # activation layers, in forward order
    weight_layers: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)  # step, layer, stats...
    gradient_rows: list[dict[str, Any]] = field(default_factory=list)  # step, layer, grad_norm
    bin_edges: list[float] = field(default_factory=list)
    histograms: dict[str, list[tuple[int, list[float]]]] = field(default_factory=dict)

    def series(self, layer: str, column: str) -> np.ndarray:
        """One statistic of one layer over the recorded steps."""
        source = self.gradient_rows if column == "weight_grad_norm" else self.rows
        return np.array(
            [row[column] for row in source if row["layer"] == layer], dtype=float
        )

    def steps(self) -> np.ndarray:
        return np.array(sorted({row["step"] for row in self.rows}), dtype=int)

    def table(self, step: int | None = None, digits: int = 4) -> str:
        """A plain-text table of the rows of one step (default: the last one)."""
        if not self.rows:
            return "(no steps recorded)"
        step = self.rows[-1]["step"] if step is None else step
        columns = ["layer", "activation", *STAT_COLUMNS, "grad_norm"]
        lines = [[str(row.get(c, "")) if isinstance(row.get(c), str) else
                  _fmt(row.get(c), digits) for c in columns]
                 for row in self.rows if row["step"] == step]
        widths = [max(len(c), *(len(line[i]) for line in lines)) for i, c in enumerate(columns)]
        out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
        out += ["  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True))
                for line in lines]
        return f"step {step}\n" + "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": self.layers,
            "weight_layers": self.weight_layers,
            "rows": self.rows,
            "gradient_rows": self.gradient_rows,
            "bin_edges": self.bin_edges,
            "histograms": self.histograms,
        }


def _fmt(value: Any, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


class _LayerProbe:
    """Hooks on one activation layer; keeps the statistics of the current step as tensors.

    Nothing is copied to the host here: the step's statistics of every layer are
    stacked and transferred once, in :meth:`Diagnostics.step`, so the hooks cost a
    handful of small tensor operations per layer.
    """

    def __init__(self, name: str, act: Activation, owner: Diagnostics) -> None:
        self.name = name
        self.act = act
        self.owner = owner
        self.pending: torch.Tensor | None = None  # mean, std, saturated, dead_batch
        self.grad_norm_sq: torch.Tensor | None = None
        self.last_alive: torch.Tensor | None = None  # per unit: last step it fired
        self.histogram: torch.Tensor | None = None

    def forward_hook(self, module: nn.Module, inputs: tuple[Any, ...], output: Any) -> None:
        if not isinstance(output, torch.Tensor) or not inputs or not self.owner._recording():
            return
        step = self.owner._step
        with torch.no_grad():
            xd, yd = inputs[0].detach(), output.detach()
            if xd.dtype in (torch.float16, torch.bfloat16):
                xd, yd = xd.float(), yd.float()
            slope = self.act.grad(xd, self.act.params, torch_backend())
            saturated = (torch.abs(slope) < self.owner.saturation_threshold).mean(
                dtype=torch.float32)
            # a unit is a feature (dim 1 for batched input); alive = non-zero somewhere
            unit_dims = [d for d in range(yd.dim()) if d != 1] if yd.dim() >= 2 else []
            alive = (yd != 0).any(dim=unit_dims) if unit_dims else (yd != 0)
            if self.last_alive is None or self.last_alive.shape != alive.shape:
                # first call, or differently shaped input: no unit has fired yet
                self.last_alive = torch.full(alive.shape, NEVER, dtype=torch.int64)
            self.last_alive = torch.where(alive, step, self.last_alive)
            if yd.numel() > 1:
                std, mean = torch.std_mean(yd.float())
            else:
                std, mean = torch.zeros(()), yd.float().reshape(())
            self.pending = torch.stack(
                [mean, std, saturated, (~alive).mean(dtype=torch.float32)])
            if self.owner._histogram_due():
                lo, hi = self.owner.histogram_range
                self.histogram = torch.histc(
                    yd.float().clamp(lo, hi), bins=self.owner.bins, min=lo, max=hi)
        if output.requires_grad:
            output.register_hook(self._grad_hook)

    def dead_over_window(self) -> torch.Tensor:
        """Fraction of units that have not fired in the last ``window`` steps."""
        assert self.last_alive is not None
        silent = self.owner._step - self.last_alive >= self.owner.window
        return silent.mean(dtype=torch.float32)

    def _grad_hook(self, grad: torch.Tensor) -> None:
        norm_sq = torch.linalg.vector_norm(grad.detach().float()).square()
        self.grad_norm_sq = norm_sq if self.grad_norm_sq is None else self.grad_norm_sq + norm_sq


class Diagnostics:
    """Hooks that record activation statistics and gradient flow (see module docstring)."""

    def __init__(
        self,
        model: nn.Module,
        *,
        saturation_threshold: float = 0.01,
        window: int = 10,
        every: int = 1,
        histogram_every: int = 1,
        bins: int = 40,
        histogram_range: tuple[float, float] = (-4.0, 4.0),
    ) -> None:
        if not isinstance(model, nn.Module):
            raise UserError(f"diagnose() needs a torch.nn.Module, got {type(model).__name__}")
        if window < 1 or every < 1 or histogram_every < 0 or bins < 1:
            raise ValueError("window, every and bins must be >= 1, histogram_every >= 0")
        self.model = model
        self.saturation_threshold = saturation_threshold
        self.window = window
        self.every = every
        self.histogram_every = histogram_every
        self.bins = bins
        self.histogram_range = histogram_range
        found = activation_layers(model)
        if not found:
            raise UserError(
                "diagnose(): the model has no activation layer actlab recognises "
                "(use actlab modules or torch.nn activation modules, not functional calls)"
            )
        self._probes = [_LayerProbe(name, act, self) for name, _, act in found]
        self._modules = [module for _, module, _ in found]
        self._weights = weight_layers(model)
        self._handles: list[Any] = []
        self._step = 0
        lo, hi = histogram_range
        self.log = DiagnosticsLog(
            layers=[p.name for p in self._probes],
            weight_layers=[name for name, _ in self._weights],
            bin_edges=np.linspace(lo, hi, bins + 1).tolist(),
            histograms={p.name: [] for p in self._probes},
        )

    # --- lifecycle -------------------------------------------------------------
    def attach(self) -> Diagnostics:
        if not self._handles:
            for probe, module in zip(self._probes, self._modules, strict=True):
                self._handles.append(module.register_forward_hook(probe.forward_hook))
        return self

    def detach(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def __enter__(self) -> Diagnostics:
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.step(only_if_pending=True)
        self.detach()

    # --- recording ---------------------------------------------------------------
    def _recording(self) -> bool:
        return self._step % self.every == 0

    def _histogram_due(self) -> bool:
        return self.histogram_every > 0 and self._step % self.histogram_every == 0

    def step(self, only_if_pending: bool = False) -> None:
        """Close the current training step: store its rows and start the next one."""
        probes = [p for p in self._probes if p.pending is not None]
        if only_if_pending and not probes:
            return
        if probes:
            # one host transfer for all layers: mean, std, saturated, dead_batch,
            # dead_window, grad_norm² (NaN when no gradient reached the layer)
            nan = torch.tensor(float("nan"))
            table = torch.stack([
                torch.cat([p.pending, p.dead_over_window().reshape(1),  # type: ignore[list-item]
                           (nan if p.grad_norm_sq is None else p.grad_norm_sq).reshape(1)])
                for p in probes
            ]).tolist()
            for probe, values in zip(probes, table, strict=True):
                *stats, grad_norm_sq = values
                self.log.rows.append({
                    "step": self._step,
                    "layer": probe.name,
                    "activation": probe.act.name,
                    **dict(zip(STAT_COLUMNS, stats, strict=True)),
                    "grad_norm": None if grad_norm_sq != grad_norm_sq else grad_norm_sq**0.5,
                })
                if probe.histogram is not None:
                    self.log.histograms[probe.name].append((self._step, probe.histogram.tolist()))
                probe.pending, probe.grad_norm_sq, probe.histogram = None, None, None
        grads = [(name, _weight_grad(m)) for name, m in self._weights]
        with_grad = [(name, g) for name, g in grads if g is not None and self._recording()]
        if with_grad:
            norms = torch.stack([torch.linalg.vector_norm(g.detach().float())
                                 for _, g in with_grad]).tolist()
            self.log.gradient_rows.extend(
                {"step": self._step, "layer": name, "weight_grad_norm": norm}
                for (name, _), norm in zip(with_grad, norms, strict=True))
        self._step += 1


def diagnose(model: nn.Module, **options: Any) -> Diagnostics:
    """Hooks recording activation statistics and gradient flow; use as a context manager.

    Options: ``saturation_threshold`` (|f'| below it counts as saturated, default 0.01),
    ``window`` (steps for the windowed dead-unit fraction, default 10),
    ``every`` (record every N-th step only: the hooks cost nothing on the others),
    ``histogram_every`` (0 disables histograms), ``bins``, ``histogram_range``.
    """
    return Diagnostics(model, **options)


def _weight_grad(module: nn.Module) -> torch.Tensor | None:
    """The gradient of a layer's weight (None before backward reached it)."""
    weight = module.weight
    if not isinstance(weight, torch.Tensor):
        raise TypeError(f"{type(module).__name__}.weight is not a tensor")
    return weight.grad
