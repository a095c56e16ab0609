"""Vector-valued activations: each output depends on a whole slice along ``axis``.

softmax, log_softmax, softmin and sparsemax map a vector to (the log of) a
probability vector; the GLU family splits the axis into halves ``a, b`` and
gates ``a`` with a function of ``b``; maxout takes the maximum over groups of
``pieces`` neighbours.  Their Jacobians are not diagonal, so they offer
``vjp`` and no elementwise ``derivative``.

Every formula is written once against the back end ``xp`` and runs unchanged
in NumPy and in the PyTorch autograd function.  Shared rules, stated once:

* 0-d inputs are treated as vectors of one element; an empty axis gives an
  empty result; any other axis problem is a one-line ``ValueError``;
* rows are shifted by their maximum before ``exp`` (no overflow at 1e300);
  ``-inf`` entries get weight 0; a row of all ``-inf`` has no limit and gives
  NaN (as PyTorch); ``+inf`` entries share the whole mass (the limit, where
  PyTorch gives NaN); a NaN anywhere in a row makes the row NaN.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from actlab.catalogue.activation import Activation, VectorActivation
from actlab.catalogue.backend import Array, Backend
from actlab.catalogue.families import Family
from actlab.catalogue.metadata import (
    Documentation,
    Equivalent,
    Param,
    Properties,
    Reference,
    Smoothness,
)
from actlab.catalogue.registry import get, register
from actlab.errors import InvalidValue

if TYPE_CHECKING:
    from torch import nn

INF = float("inf")
NAN = float("nan")

AXIS = Param("axis", -1, "the axis the function acts along (torch: dim)", kind="int")

BRIDLE = Reference(
    "Probabilistic interpretation of feedforward classification network outputs, with "
    "relationships to statistical pattern recognition",
    1990,
    "Bridle",
)
SEEDS_SOFTMAX = Reference("notes A and C (softmax for the output layer)", None, "seed")
DAUPHIN = Reference(
    "Language modeling with gated convolutional networks", 2017,
    "Dauphin, Fan, Auli & Grangier",
)
SHAZEER = Reference("GLU variants improve Transformer", 2020, "Shazeer")
GLU_HALVES_NOTE = (
    "Halves: a = first half, b = second half of the axis, as torch.nn.GLU, keras and jax. "
    "Shazeer (2020) writes the activation on the first projection (act(xW) * xV); the two "
    "differ only by which half of the preceding Linear's rows is which, so weights ported "
    "from such code (LLaMA-style w1/w3) must be swapped.",
    "An odd size along the axis raises ValueError (torch.chunk would split unequally).",
)


# --- shared plumbing -------------------------------------------------------------------
class _AlongAxis(VectorActivation):
    """Axis checks and edge shapes for every vector entry; subclasses write ``along``/``vjp_along``.

    ``along(x, axis, p, xp)`` and ``vjp_along(x, g, axis, p, xp)`` receive an input
    of at least one dimension, a non-negative axis and a non-empty slice.
    """

    parameters: ClassVar[tuple[Param, ...]] = (AXIS,)

    def _axis(self, ndim: int, axis: int) -> int:
        if not -max(ndim, 1) <= axis < max(ndim, 1):
            raise InvalidValue(
                f"{self.name}: axis {axis} is out of range for an input with {ndim} dimension(s)"
            )
        return axis % max(ndim, 1)

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = tuple(shape)
        axis = self._axis(len(shape), self.params["axis"])
        if not shape:  # a 0-d input is a vector of one element
            return tuple(self._axis_size_out(1, self.params))[1:]
        size_out = self._axis_size_out(shape[axis], self.params)
        return (*shape[:axis], *size_out, *shape[axis + 1:])

    def _axis_size_out(self, n: int, p: Mapping[str, Any]) -> tuple[int]:
        """Size of the axis in the output (checks it; override for shrinking entries)."""
        return (n,)

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        if x.ndim == 0:
            return self.forward(x.reshape(1), p, xp).reshape(())
        axis = self._axis(x.ndim, p["axis"])
        self._axis_size_out(x.shape[axis], p)
        if x.shape[axis] == 0:  # reductions over an empty slice have no identity
            return xp.zeros_like(x)
        return self.along(x, axis, p, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        if x.ndim == 0:
            return self.vjp_(x.reshape(1), g.reshape(1), p, xp).reshape(())
        axis = self._axis(x.ndim, p["axis"])
        self._axis_size_out(x.shape[axis], p)
        if x.shape[axis] == 0:
            return xp.zeros_like(x)
        return self.vjp_along(x, g, axis, p, xp)

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        raise NotImplementedError  # abstract

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        raise NotImplementedError  # abstract


def _shifted(x: Array, axis: int, xp: Backend) -> Array:
    """x - max(x) along ``axis``: every entry <= 0, so exp cannot overflow.

    When the max is +inf, the +inf entries become 0 (and the rest -inf): the limit
    of the shift, instead of inf - inf = NaN.  A row of -inf or with a NaN stays NaN.
    """
    m = xp.amax(x, axis)
    return xp.where((x == m) & (m == INF), 0.0, x - m)


def _softmax(x: Array, axis: int, xp: Backend) -> Array:
    e = xp.exp(_shifted(x, axis, xp))
    return e / xp.sum(e, axis)  # the sum is >= 1 (the max contributes e^0)


def _softmax_vjp(x: Array, g: Array, axis: int, xp: Backend) -> Array:
    s = _softmax(x, axis, xp)
    return s * (g - xp.sum(g * s, axis))


def _log_softmax(x: Array, axis: int, xp: Backend) -> Array:
    """z - log Σ e^z with z = x - max; log1p of the non-max terms keeps -log(1+ε) ≈ -ε exact."""
    z = _shifted(x, axis, xp)
    ties = xp.sum(xp.astype_like(z == 0, z), axis)  # how many entries equal the max
    rest = xp.sum(xp.where(z < 0, xp.exp(z), 0.0), axis)
    return z - xp.log1p((ties - 1.0) + rest)


# --- the softmax family ----------------------------------------------------------------
@register
class Softmax(_AlongAxis):
    name = "softmax"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{softmax}(x)_i = \frac{e^{x_i - m}}{\sum_j e^{x_j - m}},"
        r"\quad m = \max_j x_j",
        derivative_formula=r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j),"
        r"\qquad (g^\top J)_j = s_j\Big(g_j - \sum_i g_i s_i\Big)",
        summary="Turns scores into a probability vector (positive, summing to 1); the "
        "output layer of multi-class classifiers and the weights of attention.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(BRIDLE, SEEDS_SOFTMAX),
        equivalents=(
            Equivalent("torch", "torch.nn.Softmax(dim=-1)",
                       "dim has no default in practice (dim=None picks an axis implicitly "
                       "and warns); an input row with +inf gives NaN in torch, the limit "
                       "(mass shared by the +inf entries) here"),
            Equivalent("keras", "keras.activations.softmax(x, axis=-1)"),
            Equivalent("jax", "jax.nn.softmax(x, axis=-1)",
                       "also takes a `where` mask"),
            Equivalent("seed", "np.exp(x) / np.sum(np.exp(x))",
                       "notes A, C without the max shift: overflows to NaN at x ≈ 710"),
        ),
        notes=(
            "Shift by the row maximum: e^(x_i - max) <= 1, so softmax([1000, 1000]) = "
            "[0.5, 0.5] where the naive formula gives inf/inf = NaN.",
            "-inf entries get weight 0; a row of all -inf has no limit and gives NaN "
            "(as torch); a NaN in a row makes the whole row NaN.",
            "Monotonic, range and saturation describe one output s_i as its own input "
            "x_i moves (others fixed): s_i rises from 0 to 1 and its slope vanishes at "
            "both ends; s_i falls as any other x_j rises, so softmax is not monotonic.",
            "Invariant to adding a constant to the row; softmax(x/T) tends to a one-hot "
            "argmax as T -> 0 and to uniform as T -> inf.",
        ),
    )

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        return _softmax(x, axis, xp)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        return _softmax_vjp(x, g, axis, xp)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Softmax(dim=self.params["axis"])


@register
class LogSoftmax(_AlongAxis):
    name = "log_softmax"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{log\_softmax}(x)_i = x_i - \log\sum_j e^{x_j}"
        r" = (x_i - m) - \log\sum_j e^{x_j - m},\quad m = \max_j x_j",
        derivative_formula=r"\frac{\partial y_i}{\partial x_j} = \delta_{ij} - s_j,"
        r"\qquad (g^\top J)_j = g_j - s_j \sum_i g_i,\quad s = \mathrm{softmax}(x)",
        summary="The log of softmax computed without forming softmax: what the "
        "cross-entropy loss needs, exact where log(softmax(x)) underflows to -inf.",
        properties=Properties(
            range=(-INF, 0.0),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=False,
            bounded_above=True,
            saturates_left=False,
            saturates_right=True,
            cost=1,
        ),
        references=(BRIDLE,),
        equivalents=(
            Equivalent("torch", "torch.nn.LogSoftmax(dim=-1)",
                       "a row with +inf gives NaN in torch, the limit here"),
            Equivalent("keras", "keras.activations.log_softmax(x, axis=-1)"),
            Equivalent("jax", "jax.nn.log_softmax(x, axis=-1)"),
        ),
        notes=(
            "log-sum-exp shifted by the maximum m: log Σ e^(x_j - m) = log1p(t - 1 + Σ_rest), "
            "t the number of entries equal to m, so the dominant entry gets -ε, not "
            "-log(1 + ε) rounded to 0.",
            "log(softmax(x)) is -inf once softmax underflows (x_i - max < -745 in "
            "float64); log_softmax stays exact (x_i - max).",
            "-inf entries give -inf; a row of all -inf gives NaN (as torch).",
            "Saturation of y_i in its own input x_i: slope 1 - s_i -> 0 as x_i -> +inf, "
            "-> 1 as x_i -> -inf (y_i ~ x_i there).",
        ),
    )

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        return _log_softmax(x, axis, xp)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        s = xp.exp(_log_softmax(x, axis, xp))
        return g - s * xp.sum(g, axis)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.LogSoftmax(dim=self.params["axis"])


@register
class Softmin(_AlongAxis):
    name = "softmin"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{softmin}(x)_i = \mathrm{softmax}(-x)_i"
        r" = \frac{e^{-(x_i - m)}}{\sum_j e^{-(x_j - m)}},\quad m = \min_j x_j",
        derivative_formula=r"\frac{\partial s_i}{\partial x_j} = -s_i(\delta_{ij} - s_j),"
        r"\qquad (g^\top J)_j = -s_j\Big(g_j - \sum_i g_i s_i\Big)",
        summary="Softmax of the negated scores: a probability vector that puts the most "
        "mass on the smallest entry (soft argmin, e.g. over distances or costs).",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(
            Reference("PyTorch torch.nn.Softmin", 2017, "PyTorch developers"),
            BRIDLE,
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Softmin(dim=-1)",
                       "a row with -inf gives NaN in torch, the limit here"),
            Equivalent("keras", "keras.activations.softmax(-x, axis=-1)",
                       "no softmin of its own"),
            Equivalent("jax", "jax.nn.softmax(-x, axis=-1)", "no softmin of its own"),
        ),
        notes=(
            "Computed as softmax(-x), so it inherits softmax's shift and limits with the "
            "signs swapped: +inf entries get weight 0, a row of all +inf gives NaN.",
        ),
    )

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        return _softmax(-x, axis, xp)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        return -_softmax_vjp(-x, g, axis, xp)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Softmin(dim=self.params["axis"])


def _sparsemax(x: Array, axis: int, xp: Backend) -> Array:
    """Projection onto the simplex by sorting (Martins & Astudillo 2016, Algorithm 1).

    The input is first shifted by its max (the projection is shift-invariant), so the
    largest entry is 0 and the cumulative sums stay small; entries below -1 are then
    never in the support.
    """
    z = _shifted(x, axis, xp)
    zs = xp.sort_desc(z, axis)
    k = xp.arange_like(z, axis)
    # the support is a prefix of the sorted entries: those with 1 + k z_(k) > Σ_{j<=k} z_(j)
    in_support = 1.0 + k * zs > xp.cumsum(zs, axis)
    size = xp.sum(xp.astype_like(in_support, z), axis)
    # where, not multiply: -inf entries outside the support would give -inf * 0 = NaN
    tau = (xp.sum(xp.where(in_support, zs, 0.0), axis) - 1.0) / size
    return xp.maximum(z - tau, 0.0)


@register
class Sparsemax(_AlongAxis):
    name = "sparsemax"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{sparsemax}(x) = \arg\min_{p \in \Delta}\lVert p - x\rVert_2^2"
        r" = \big[x_i - \tau(x)\big]_+,\quad \tau = \frac{\sum_{j \le k} x_{(j)} - 1}{k},"
        r"\ k = \max\{k : 1 + k\,x_{(k)} > \textstyle\sum_{j \le k} x_{(j)}\}",
        derivative_formula=r"\frac{\partial p_i}{\partial x_j} = \mathbb{1}_{i\in S}"
        r"\Big(\delta_{ij} - \frac{\mathbb{1}_{j\in S}}{|S|}\Big),\qquad "
        r"(g^\top J)_j = \mathbb{1}_{j\in S}\Big(g_j - \frac{1}{|S|}\sum_{i\in S} g_i\Big),"
        r"\quad S = \{i : p_i > 0\}",
        summary="The Euclidean projection of the scores onto the probability simplex: "
        "like softmax, but small scores get exactly zero probability (sparse attention, "
        "multi-label classification).",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=False,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(
            Reference(
                "From softmax to sparsemax: a sparse model of attention and multi-label "
                "classification",
                2016,
                "Martins & Astudillo",
            ),
            Reference(
                "Efficient projections onto the l1-ball for learning in high dimensions",
                2008,
                "Duchi, Shalev-Shwartz, Singer & Chandra",
            ),
        ),
        equivalents=(
            Equivalent("keras", "keras.activations.sparsemax(x, axis=-1)"),
            Equivalent("torch", "none built in (third-party: entmax.sparsemax(x, dim=-1))"),
            Equivalent("jax", "none in jax.nn (optax.projections.projection_simplex)"),
        ),
        notes=(
            "O(n log n) by sorting; shifted by the row maximum first (shift-invariant), so "
            "inputs of ±1e300 are exact and -inf entries get 0.",
            "Piecewise linear: the Jacobian jumps where an entry enters or leaves the "
            "support; an entry exactly at the threshold (p_i = 0) counts as outside, so "
            "its gradient is 0.",
            "A row of all -inf or containing NaN gives NaN (as softmax); +inf entries "
            "share the mass equally (the limit).",
            "Range, saturation: p_i is 0 for x_i far below the others and 1 for x_i far "
            "above them, with zero slope in both regions.",
        ),
    )

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        return _sparsemax(x, axis, xp)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        out = _sparsemax(x, axis, xp)
        support = out > 0
        size = xp.sum(xp.astype_like(support, out), axis)
        mean_g = xp.sum(xp.where(support, g, 0.0), axis) / size
        vjp = xp.where(support, g - mean_g, 0.0)
        return xp.where(out != out, out, vjp)  # a NaN row stays NaN


# --- gated linear units ----------------------------------------------------------------
class _Gated(_AlongAxis):
    """a · gate(b), with a, b the two halves of the axis."""

    def _axis_size_out(self, n: int, p: Mapping[str, Any]) -> tuple[int]:
        if n % 2:
            raise InvalidValue(
                f"{self.name}: the size along axis {p['axis']} must be even to split it "
                f"into halves a, b; got {n}"
            )
        return (n // 2,)

    # The elementwise catalogue entry applied to b: its formula and derivative are
    # the catalogue's own, so the GLU family inherits their accuracy and limits.
    gate_entry: ClassVar[str]

    def _gate(self) -> Activation:
        return get(self.gate_entry)

    def gate(self, b: Array, xp: Backend) -> Array:
        entry = self._gate()
        return entry.forward(b, entry.params, xp)

    def gate_prime(self, b: Array, xp: Backend) -> Array:
        entry = self._gate()
        return entry.grad(b, entry.params, xp)

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        a, b = xp.split_halves(x, axis)
        return a * self.gate(b, xp)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        a, b = xp.split_halves(x, axis)
        return xp.concat([g * self.gate(b, xp), g * a * self.gate_prime(b, xp)], axis)


def _gated_properties(smoothness: Smoothness, cost: int) -> Properties:
    return Properties(
        range=(-INF, INF),
        monotonic=False,
        smoothness=smoothness,
        zero_centred=True,
        bounded_below=False,
        bounded_above=False,
        saturates_left=True,
        saturates_right=False,
        cost=cost,
    )


GATED_SATURATION_NOTE = (
    "Properties read along the gate input b: the gate closes as b -> -inf (slope -> 0, "
    "saturates_left) and opens linearly as b -> +inf; the output is linear in a, so "
    "unbounded either way and 0 at x = 0.",
)


@register
class GLU(_Gated):
    name = "glu"
    gate_entry = "sigmoid"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{GLU}(x) = a \odot \sigma(b),\quad x = [a, b]"
        r"\text{ split in halves along the axis}",
        derivative_formula=r"\frac{\partial}{\partial a} = g \odot \sigma(b),\qquad "
        r"\frac{\partial}{\partial b} = g \odot a \odot \sigma(b)\,\sigma(-b)",
        summary="Gated linear unit: half of the features decide, through a sigmoid, how "
        "much of the other half passes; halves the size of the axis.",
        properties=_gated_properties("Cinf", 1),
        references=(DAUPHIN,),
        equivalents=(
            Equivalent("torch", "torch.nn.GLU(dim=-1)"),
            Equivalent("keras", "keras.activations.glu(x, axis=-1)"),
            Equivalent("jax", "jax.nn.glu(x, axis=-1)"),
        ),
        notes=(
            *GLU_HALVES_NOTE,
            *GATED_SATURATION_NOTE,
            "σ'(b) = σ(b)σ(-b) from e^-|b|: accurate in both tails.",
        ),
    )

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.GLU(dim=self.params["axis"])


@register
class SwiGLU(_Gated):
    name = "swiglu"
    gate_entry = "silu"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{SwiGLU}(x) = a \odot \mathrm{silu}(b) = a \odot b\,\sigma(b)",
        derivative_formula=r"\frac{\partial}{\partial a} = g \odot b\,\sigma(b),\qquad "
        r"\frac{\partial}{\partial b} = g \odot a \odot "
        r"\big(\sigma(b) + b\,\sigma(b)\sigma(-b)\big)",
        summary="GLU with a SiLU (swish) gate: the feed-forward activation of PaLM and "
        "LLaMA, better than ReLU in Transformers at the same compute.",
        properties=_gated_properties("Cinf", 1),
        references=(
            SHAZEER,
            Reference("Searching for activation functions", 2017,
                      "Ramachandran, Zoph & Le"),
        ),
        equivalents=(
            Equivalent("torch", "a * torch.nn.functional.silu(b)",
                       "no built-in (requested in pytorch#128712)"),
            Equivalent("timm", "timm.layers.SwiGLU",
                       "a whole feed-forward block (Linear, gate, Linear), not the activation"),
            Equivalent("keras", "a * keras.activations.silu(b)", "no built-in"),
            Equivalent("jax", "a * jax.nn.silu(b)", "no built-in"),
        ),
        notes=(
            *GLU_HALVES_NOTE,
            *GATED_SATURATION_NOTE,
            "silu(-inf) = 0 and silu'(±inf) = 1, 0 (the limits; b·σ(b) alone gives "
            "-inf·0 = NaN, as torch's silu does).",
        ),
    )



@register
class GEGLU(_Gated):
    name = "geglu"
    gate_entry = "gelu"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{GEGLU}(x) = a \odot \mathrm{gelu}(b) = a \odot b\,\Phi(b)",
        derivative_formula=r"\frac{\partial}{\partial a} = g \odot b\,\Phi(b),\qquad "
        r"\frac{\partial}{\partial b} = g \odot a \odot \big(\Phi(b) + b\,\varphi(b)\big)",
        summary="GLU with an exact (erf) GELU gate; the best of the GLU variants in "
        "Shazeer's Transformer comparison, used in T5.1.1 and Gemma.",
        properties=_gated_properties("Cinf", 1),
        references=(
            SHAZEER,
            Reference("Gaussian error linear units (GELUs)", 2016, "Hendrycks & Gimpel"),
        ),
        equivalents=(
            Equivalent("torch", "a * torch.nn.functional.gelu(b)", "no built-in"),
            Equivalent("keras", "a * keras.activations.gelu(b, approximate=False)",
                       "no built-in"),
            Equivalent("jax", "a * jax.nn.gelu(b, approximate=False)",
                       "no built-in; jax.nn.gelu defaults to the tanh approximation"),
        ),
        notes=(
            *GLU_HALVES_NOTE,
            *GATED_SATURATION_NOTE,
            "Φ(b) = erfc(-b/√2)/2: accurate in the lower tail, where (1 + erf(b/√2))/2 "
            "cancels to 0; gelu(-inf) = 0 and gelu'(±inf) = 1, 0 (the limits).",
        ),
    )



@register
class ReGLU(_Gated):
    name = "reglu"
    gate_entry = "relu"
    family = Family.VECTOR
    doc = Documentation(
        formula=r"\mathrm{ReGLU}(x) = a \odot \max(0, b)",
        derivative_formula=r"\frac{\partial}{\partial a} = g \odot \max(0, b),\qquad "
        r"\frac{\partial}{\partial b} = g \odot a \odot \mathbb{1}_{b > 0}",
        summary="GLU with a ReLU gate: the cheapest GLU variant (no transcendental "
        "function), close to GEGLU and SwiGLU in Shazeer's comparison.",
        properties=_gated_properties("C0", 0),
        references=(
            SHAZEER,
            Reference("Rectified linear units improve restricted Boltzmann machines", 2010,
                      "Nair & Hinton"),
        ),
        equivalents=(
            Equivalent("torch", "a * torch.nn.functional.relu(b)", "no built-in"),
            Equivalent("keras", "a * keras.activations.relu(b)", "no built-in"),
            Equivalent("jax", "a * jax.nn.relu(b)", "no built-in"),
        ),
        notes=(
            *GLU_HALVES_NOTE,
            *GATED_SATURATION_NOTE,
            "At b = 0 the gate's slope is 0, as torch's relu'(0) = 0.",
        ),
    )



# --- maxout ----------------------------------------------------------------------------
@register
class Maxout(_AlongAxis):
    name = "maxout"
    family = Family.VECTOR
    parameters = (
        Param("pieces", 2, "how many neighbouring entries each output takes the max of "
              "(Goodfellow et al.'s k)", lambda v: None if v >= 1 else "must be >= 1",
              kind="int"),
        AXIS,
    )
    doc = Documentation(
        formula=r"\mathrm{maxout}(x)_j = \max_{0 \le i < p} x_{jp + i},"
        r"\quad j = 0, \dots, n/p - 1",
        derivative_formula=r"(g^\top J)_{jp+i} = \begin{cases} g_j & i = "
        r"\text{first }\arg\max_{i'} x_{jp+i'}\\ 0 & \text{otherwise}\end{cases}",
        summary="The max over groups of `pieces` neighbouring entries: after a Linear "
        "layer, max(w1ᵀx+b1, w2ᵀx+b2) — a learned convex piecewise-linear activation; "
        "divides the size of the axis by `pieces`.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference("Maxout networks", 2013,
                      "Goodfellow, Warde-Farley, Mirza, Courville & Bengio"),
            Reference("seed notes 003: max(w1ᵀx+b1, w2ᵀx+b2); doubles the weights", None,
                      "seed"),
        ),
        equivalents=(
            Equivalent("torch", "x.unflatten(dim, (n // p, p)).amax(dim + 1)",
                       "no built-in; amax splits the gradient between ties, we route it "
                       "to the first maximum (as torch.max(dim) and argmax)"),
            Equivalent("keras", "none in Keras 3 (TF Addons: tfa.layers.Maxout(num_units))",
                       "TF Addons takes the number of outputs, not of pieces; same grouping"),
            Equivalent("jax", "x.reshape(..., n // p, p).max(-1)", "no built-in"),
            Equivalent("seed", "max(w1ᵀx+b1, w2ᵀx+b2) (notes D)",
                       "the layer: actlab.torch.maxout.Maxout(in, out, pieces=2)"),
        ),
        notes=(
            "Grouping: the axis of size n = p·k is reshaped to (k, p), so output j is the "
            "max of the contiguous entries jp, ..., jp + p - 1 — the convention of "
            "pylearn2, TF Addons and the common PyTorch recipe x.view(..., k, p).max(-1). "
            "A size not divisible by p raises ValueError.",
            "Ties: the gradient goes to the first maximum in the group; NaN counts as the "
            "maximum (as argmax), and the output of a group with NaN is NaN.",
            "Monotonic: non-decreasing in every input; convex and piecewise linear.",
            "As a layer it costs `pieces` times the weights of a Linear (notes D's "
            "warning about doubled weights for pieces = 2).",
        ),
    )

    def _axis_size_out(self, n: int, p: Mapping[str, Any]) -> tuple[int]:
        pieces = p["pieces"]
        if n % pieces:
            raise InvalidValue(
                f"maxout: the size along axis {p['axis']} ({n}) must be divisible by "
                f"pieces={pieces}"
            )
        return (n // pieces,)

    @staticmethod
    def _groups(x: Array, axis: int, pieces: int) -> Array:
        """x with its axis reshaped to (n // pieces, pieces): contiguous groups."""
        shape = tuple(x.shape)
        return x.reshape((*shape[:axis], shape[axis] // pieces, pieces, *shape[axis + 1:]))

    def along(self, x: Array, axis: int, p: Mapping[str, Any], xp: Backend) -> Array:
        groups = self._groups(x, axis, p["pieces"])
        shape = tuple(x.shape)
        out_shape = (*shape[:axis], shape[axis] // p["pieces"], *shape[axis + 1:])
        return xp.amax(groups, axis + 1).reshape(out_shape)

    def vjp_along(
        self, x: Array, g: Array, axis: int, p: Mapping[str, Any], xp: Backend
    ) -> Array:
        groups = self._groups(x, axis, p["pieces"])
        top = xp.amax(groups, axis + 1)
        # candidates for the max: equal to it, or NaN (which is the max, as in argmax)
        hit = xp.astype_like((groups == top) | (groups != groups), x)
        first = (hit > 0) & (xp.cumsum(hit, axis + 1) == 1)
        routed = xp.where(first, g.reshape(top.shape), 0.0)
        return routed.reshape(tuple(x.shape))
