"""The :class:`~actlab.catalogue.backend.Backend` on ``torch.Tensor`` (imported lazily:
``actlab.catalogue.backend.torch_backend()`` creates it on first use).

Besides the primitives, the compound helpers use PyTorch's fused kernels where one
computes the same stable formula in a single pass:

* σ(βx)·g is ``softplus_backward(g, x, β, 40)``, which evaluates g·z/(z+1) with
  z = e^(βx), and returns g itself where βx > 40 (σ(40) rounds to 1 in float32 and
  float64).  Relatively accurate in both tails, also for β < 0.
* σ'(x)·g and sech²(x)·g = 4σ'(2x)·g are s − s² with s = σ(−|x|) <= 1/2, one sigmoid
  pass and light ones (``symmetric_sigmoid_prime``), never σ(1 - σ) or 1 - tanh²,
  which lose the tails.
* softplus is ``F.softplus(x, β, threshold=40)``: log1p(e^(βx))/β below the threshold,
  x above it, where log1p(e^(βx))/β = x + log1p(e^-βx)/β rounds to x (e^-40 ≈ 4e-18).

The elementary functions (tanh, exp, expm1, log, arctan, ...) run NumPy's SIMD kernels
on CPU tensors where those are faster than PyTorch's (torch_numpy_kernels.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

from actlab.catalogue.backend import Backend, _patch_abs_below_numpy
from actlab.catalogue.torch_numpy_kernels import numpy_unary

Tensor = torch.Tensor

# βx beyond which σ(βx) rounds to 1 in float32 and float64 (and softplus(x) to x)
SIGMOID_SATURATES = 40.0
_SQRT1_2 = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_TANH_CUBIC = 0.044715
NORMAL_GATE_CLIP = 40.0  # |x| beyond which Φ(x) is exactly 0 or 1 and φ(x) exactly 0
GELU_TANH_CLIP = 100.0  # |x| beyond which the tanh-GELU gate σ(2u) is exactly 0 or 1
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_softplus_backward = torch.ops.aten.softplus_backward
_softplus_backward_over = torch.ops.aten.softplus_backward.grad_input  # its out= form
_hardtanh_backward = torch.ops.aten.hardtanh_backward
_silu_backward = torch.ops.aten.silu_backward
_silu_backward_over = torch.ops.aten.silu_backward.grad_input  # its out= form


# torch.where branches on every element: on a mask of random signs (an activation's input)
# it mispredicts half of them and costs ~20 light passes (float32, one thread).  Selecting
# the bits instead, b ^ ((a ^ b) & mask) on the integer views, has no branch and gives
# the very same bits (NaN payloads and signed zeros included).
SELECT_MIN_SIZE = 4096  # below this torch.where's lower call overhead wins
_SAME_WIDTH_INT = {torch.float32: torch.int32, torch.float64: torch.int64}


def select(cond: Tensor, a: Tensor | float, b: Tensor | float) -> Tensor:
    """torch.where(cond, a, b), branch-free for large float32/float64 selections outside
    autograd (autograd needs torch.where's graph)."""
    ref = a if isinstance(a, Tensor) else b
    if (not isinstance(ref, Tensor) or cond.numel() < SELECT_MIN_SIZE
            or ref.dtype not in _SAME_WIDTH_INT
            or (isinstance(a, Tensor) and isinstance(b, Tensor) and a.dtype != b.dtype)
            or (torch.is_grad_enabled()
                and any(isinstance(v, Tensor) and v.requires_grad for v in (a, b)))):
        return torch.where(cond, a, b)
    dtype, int_type = ref.dtype, _SAME_WIDTH_INT[ref.dtype]
    a_t = a if isinstance(a, Tensor) else torch.tensor(a, dtype=dtype)
    b_t = b if isinstance(b, Tensor) else torch.tensor(b, dtype=dtype)
    if torch.broadcast_shapes(cond.shape, a_t.shape, b_t.shape) != cond.shape:
        return torch.where(cond, a, b)  # cond smaller than a or b: rare
    a_bits, b_bits = a_t.view(int_type), b_t.view(int_type)
    mask = cond.to(int_type).neg_()  # all bits set where cond, none elsewhere
    mask.bitwise_and_(a_bits ^ b_bits).bitwise_xor_(b_bits)
    return mask.view(dtype)


def has_non_finite(x: Tensor) -> bool:
    """Whether x holds a NaN or ±inf, from one float reduction (NaN and inf propagate
    through a sum; comparisons and isnan on a whole tensor cost several passes)."""
    # .item() and math.isfinite: ~5 µs less a call than torch.isfinite on the 0-d sum
    return x.numel() > 0 and not math.isfinite(x.sum().item())


def _numpy_or_torch(name: str, torch_kernel: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    """NumPy's kernel ``name`` on the tensor's memory where it beats PyTorch's (see
    torch_numpy_kernels), else ``torch_kernel``."""
    out = numpy_unary(name, x)
    return torch_kernel(x) if out is None else out


def in_graph(*tensors: Tensor) -> bool:
    """Whether autograd records operations on these tensors (then no in-place steps)."""
    return torch.is_grad_enabled() and any(t.requires_grad for t in tensors)


def scaled_sigmoid_times(g: Tensor, x: Tensor, beta: float) -> Tensor:
    """g·σ(βx) in one fused pass (see the module docstring)."""
    return _softplus_backward(g, x, beta, SIGMOID_SATURATES)


def filled_like(value: float, t: Tensor) -> Tensor:
    """``value`` in t's shape and dtype, from one element (stride 0: no memory), e.g. a
    ones cotangent or a constant grad for a backward kernel."""
    return torch.full((), value, dtype=t.dtype).expand_as(t)


def times_fresh(d: Tensor, g: Tensor) -> Tensor:
    """d·g, written over d (a fresh result of the caller's, outside a graph: a new
    tensor costs its page faults) where g has d's shape and dtype."""
    return d.mul_(g) if g.shape == d.shape and g.dtype == d.dtype else d * g


def normal_cdf(x: Tensor) -> Tensor:
    """Φ(x) = erfc(−x/√2)/2 in a fresh tensor, relatively accurate in the lower tail
    (torch.special.ndtr is not): outside a graph erfc and the halving in place."""
    if in_graph(x):
        return torch.erfc(x * -_SQRT1_2).mul_(0.5)
    return torch.mul(x, -_SQRT1_2).erfc_().mul_(0.5)


def add_x_normal_pdf_(cdf: Tensor, x: Tensor) -> Tensor:
    """cdf + x·φ(x), φ(x) = e^(−x²/2)/√(2π), written over cdf (outside a graph): gelu's
    slope from its Φ.  −x²/2 is rounded once, as in npdf (its error, x²·ε, is the
    tail's own condition number; scaling it for exp2 would round it again)."""
    e = torch.square(x).mul_(-0.5)
    if numpy_unary("exp", e, out=e) is None:
        e.exp_()
    return cdf.addcmul_(e, x, value=_INV_SQRT_2PI)


def symmetric_sigmoid_prime(x: Tensor, scale: float = 1.0,
                            g: Tensor | None = None) -> Tensor:
    """σ'(scale·x)·g for a float tensor x and scale > 0.  Outside a graph: s − s² with
    s = σ(−scale·|x|) <= 1/2 (s² <= s/2: no cancellation; σ' is even), one sigmoid pass
    (PyTorch's fastest exp) and light in-place ones, where σ(x)·σ(−x) takes two exp
    passes.  In a graph (a second derivative is wanted): σ(scale·x)·σ(−scale·x), whose
    own derivatives are right at x = 0 (through |x| every odd-order one would be 0
    there).  ±inf -> 0, NaN kept."""
    if scale <= 0:
        raise ValueError(f"scale must be positive (s − s² cancels for s > 1/2), got {scale}")
    if in_graph(x) or (g is not None and in_graph(g)):
        d = torch.sigmoid(x * scale) * torch.sigmoid(x * -scale)
        return d if g is None else d * g
    s = torch.abs(x).mul_(-scale).sigmoid_()
    s.addcmul_(s, s, value=-1.0)
    return s if g is None else times_fresh(s, g)


def gated_sigmoid(x: Tensor, beta: float) -> Tensor | None:
    """x·σ(βx) as ``softplus_backward(x, x, β, 40)``: one fused pass (x where βx > 40,
    where σ has rounded to 1; βx overflowing to ±inf takes its limit).  None inside a
    graph (autograd has no derivative for it) and where x holds ±inf or NaN (inf·0)."""
    if in_graph(x) or has_non_finite(x):
        return None
    return _softplus_backward(x, x, beta, SIGMOID_SATURATES)


def silu_prime_times(g: Tensor, z: Tensor, *, over_z: bool = False) -> Tensor | None:
    """g·silu'(z) = g·σ(z)(1 + z(1 - σ(z))) as ``silu_backward(g, z)``: one fused pass.
    Where σ(z) < 1 the rounding of 1 - σ(z) costs at most |z|·ε ≤ 40ε absolutely on a
    value near 1 (within the contract); past that it is 0 and the result exactly g.
    None where z holds ±inf or NaN (inf·0 inside) or inside a graph; ``over_z``: the
    result written over z, a temporary of the caller's."""
    if in_graph(z, g) or has_non_finite(z):
        return None
    if over_z:
        return _silu_backward_over(g, z, grad_input=z)
    return _silu_backward(g, z)


class TorchBackend:
    """The primitives and stable helpers on ``torch.Tensor``."""

    name = "torch"

    # --- elementary functions -------------------------------------------------
    def exp(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("exp", torch.exp, x)

    def expm1(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("expm1", torch.expm1, x)

    def log(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("log", torch.log, x)

    def log1p(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("log1p", torch.log1p, x)

    def sqrt(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("sqrt", torch.sqrt, x)

    def tanh(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("tanh", torch.tanh, x)

    def cosh(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("cosh", torch.cosh, x)

    def sin(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("sin", torch.sin, x)

    def cos(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("cos", torch.cos, x)

    def arctan(self, x: Tensor) -> Tensor:
        return _numpy_or_torch("arctan", torch.atan, x)

    def erf(self, x: Tensor) -> Tensor:
        return torch.erf(x)

    def erfc(self, x: Tensor) -> Tensor:
        return torch.erfc(x)

    def abs(self, x: Tensor) -> Tensor:
        return torch.abs(x)

    def sign(self, x: Tensor) -> Tensor:
        return torch.sign(x)

    def square(self, x: Tensor) -> Tensor:
        return torch.square(x)

    def isnan(self, x: Tensor) -> Tensor:
        return torch.isnan(x)

    def isinf(self, x: Tensor) -> Tensor:
        return torch.isinf(x)

    def any_non_finite(self, x: Tensor) -> bool:
        return has_non_finite(x)

    def largest_is_non_finite(self, x: Tensor) -> bool:
        # the value only, also for a tensor in an autograd graph
        return x.numel() > 0 and not math.isfinite(x.detach().max().item())

    def hypot(self, x: Tensor, y: Tensor | float) -> Tensor:
        if not isinstance(y, Tensor):
            y = torch.full_like(x, y)
        return torch.hypot(x, y)

    # --- structure -------------------------------------------------------------
    def where(self, cond: Tensor | bool, a: Tensor | float, b: Tensor | float) -> Tensor:
        if isinstance(cond, bool):  # a condition on a float parameter (swish's beta == 0)
            chosen = a if cond else b
            return chosen if isinstance(chosen, Tensor) else torch.tensor(chosen)
        return select(cond, a, b)

    def maximum(self, x: Tensor, y: Tensor | float) -> Tensor:
        if isinstance(y, Tensor):
            return torch.maximum(x, y)
        return torch.clamp(x, min=y)

    def minimum(self, x: Tensor, y: Tensor | float) -> Tensor:
        if isinstance(y, Tensor):
            return torch.minimum(x, y)
        return torch.clamp(x, max=y)

    def clip(self, x: Tensor, lo: float | None, hi: float | None) -> Tensor:
        return torch.clamp(x, min=lo, max=hi)

    def zeros_like(self, x: Tensor) -> Tensor:
        return torch.zeros_like(x)

    def ones_like(self, x: Tensor) -> Tensor:
        return torch.ones_like(x)

    def full_like(self, x: Tensor, value: float) -> Tensor:
        return torch.full_like(x, value)

    def astype_like(self, cond: Tensor, x: Tensor) -> Tensor:
        return cond.to(x.dtype)

    def amax(self, x: Tensor, axis: int) -> Tensor:
        return torch.amax(x, dim=axis, keepdim=True)

    def sum(self, x: Tensor, axis: int) -> Tensor:
        return torch.sum(x, dim=axis, keepdim=True)

    def split_halves(self, x: Tensor, axis: int) -> tuple[Tensor, Tensor]:
        a, b = torch.chunk(x, 2, dim=axis)
        return a, b

    def concat(self, parts: list[Tensor], axis: int) -> Tensor:
        return torch.cat(parts, dim=axis)

    def sort_desc(self, x: Tensor, axis: int) -> Tensor:
        return torch.sort(x, dim=axis, descending=True).values

    def cumsum(self, x: Tensor, axis: int) -> Tensor:
        return torch.cumsum(x, dim=axis)

    def arange_like(self, x: Tensor, axis: int) -> Tensor:
        n = x.shape[axis]
        shape = [1] * x.dim()
        shape[axis] = n
        return torch.arange(1, n + 1, dtype=x.dtype, device=x.device).reshape(shape)

    def keep_nan(self, x: Tensor, y: Tensor) -> Tensor:
        # outside a graph (an autograd function's forward and backward run without grad
        # mode, though their input requires grad) and no NaN input: no select at all
        if not (torch.is_grad_enabled() and x.requires_grad) and not has_non_finite(x):
            return y
        return torch.where(torch.isnan(x), x, y)

    def inside(self, x: Tensor, lo: float, hi: float, slope: float,
               g: Tensor | None = None) -> Tensor:
        """slope on (lo, hi), 0 outside; NaN -> NaN; times g when given.  Outside a graph
        one pass of hardtanh_backward (grad where lo < x < hi, else 0) over the slope
        broadcast from one element, where the comparisons, the & and the cast cost five;
        g multiplies that fresh result in place (a fresh tensor costs its page faults)."""
        if in_graph(x) or (g is not None and in_graph(g)):
            d = self.keep_nan(x, ((x > lo) & (x < hi)).to(x.dtype) * slope)
            return d if g is None else g * d
        d = self.keep_nan(x, _hardtanh_backward(filled_like(slope, x), x, lo, hi))
        return d if g is None else times_fresh(d, g)

    def hard_sigmoid(self, x: Tensor) -> Tensor:
        """PyTorch's hardsigmoid kernel computes clip(x + 3, 0, 6)/6 in that order (the
        same bits, in one pass where the formula takes three), but its autograd
        derivative uses float32's 1/6 in float64: in a graph, the formula as written."""
        if in_graph(x):
            return torch.clamp(x + 3.0, 0.0, 6.0) / 6.0
        return F.hardsigmoid(x)

    def gated(self, x: Tensor, gate: Tensor) -> Tensor:
        """x·gate, with 0·(±inf) taken as a zero of the sign of x (the gate's limit wins).

        The fix-up runs only when the product has a NaN (rare); autograd differentiates
        whichever branch ran (swish's learnable beta goes through here)."""
        y = x * gate
        if has_non_finite(y) and bool(torch.isnan(y).any()):
            y = torch.where((gate == 0) & torch.isinf(x), gate * torch.clamp(x, -1.0, 1.0), y)
        return y

    def patch_abs_below(self, y: Tensor, x: Tensor, bound: float,
                        formula: Callable[[Tensor, Backend], Tensor]) -> Tensor:
        """On CPU tensors outside a graph, all on their memory with NumPy (comparison,
        flatnonzero and the formula on the few elements: about 5x faster than torch's
        comparison and nonzero, and NumPy's per-call overhead is a quarter of torch's);
        else with PyTorch's operations, which autograd records."""
        if (x.device.type == "cpu" and x.dtype in _SAME_WIDTH_INT and y.dtype == x.dtype
                and not in_graph(x, y) and y.is_contiguous()
                and not (x.is_neg() or x.is_conj())):
            _patch_abs_below_numpy(y.numpy(), x.detach().numpy(), bound, formula)
            return y
        flat_x = x.reshape(-1)
        near = torch.nonzero(flat_x.detach().abs() < bound).reshape(-1)
        if near.numel():
            y = y.reshape(-1).clone()  # not in place: y may be a view autograd saved
            y[near] = formula(flat_x[near], self)
            y = y.reshape(x.shape)
        return y

    # --- stable compound helpers ---------------------------------------------------
    def sigmoid(self, x: Tensor) -> Tensor:
        """σ(x): torch's kernel computes 1/(1+e^-x), relatively accurate in both tails
        (only its autograd derivative, from the output, is not; see sigmoid_prime)."""
        return torch.sigmoid(x)

    def scaled_sigmoid(self, x: Tensor, beta: float, g: Tensor | None = None) -> Tensor:
        if g is None:
            return torch.sigmoid(x if beta == 1.0 else x * beta)
        return scaled_sigmoid_times(g, x, beta)

    def softplus(self, x: Tensor, beta: float = 1.0) -> Tensor:
        return F.softplus(x, beta, SIGMOID_SATURATES)

    def log_sigmoid(self, x: Tensor) -> Tensor:
        return F.logsigmoid(x)

    def sigmoid_prime(self, x: Tensor, g: Tensor | None = None) -> Tensor:
        return symmetric_sigmoid_prime(x, 1.0, g)

    def sigmoid_and_prime(self, x: Tensor) -> tuple[Tensor, Tensor]:
        s = torch.sigmoid(x)
        return s, scaled_sigmoid_times(s, x, -1.0)

    def sech2(self, x: Tensor, g: Tensor | None = None) -> Tensor:
        """sech²(x)·g = 4σ'(2x)·g (the 4 exact: a power of two)."""
        d = symmetric_sigmoid_prime(x, 2.0, g)
        return d * 4.0 if in_graph(d) else d.mul_(4.0)

    def ndtr(self, x: Tensor) -> Tensor:
        return normal_cdf(x)

    def npdf(self, x: Tensor) -> Tensor:
        return torch.exp(x * x * -0.5) * _INV_SQRT_2PI

    # --- fused sequences ---------------------------------------------------------------
    # GELU: torch's own kernel computes ½x(1 + erf(x/√2)), which cancels in the left tail;
    # these are the catalogue's stable formulas with in-place steps (no temporaries).
    def gelu_fused(self, x: Tensor, approximate: str) -> Tensor | None:
        if torch.is_grad_enabled() and x.requires_grad:
            return None  # in-place steps would break autograd: the formula as written
        if approximate == "tanh":
            xc = torch.clamp(x, min=-GELU_TANH_CLIP)  # σ(2u) is exactly 0 below: -inf -> -0
            z = xc * xc
            z.mul_(GELU_TANH_CUBIC).add_(1.0).mul_(xc).mul_(2.0 * _SQRT_2_OVER_PI)  # 2u
            return torch.sigmoid_(z).mul_(xc)
        xc = torch.clamp(x, min=-NORMAL_GATE_CLIP)  # Φ is exactly 0 below: -inf -> -0
        return normal_cdf(xc).mul_(xc)  # Φ·x last (no overflow)

    def gelu_prime_fused(self, x: Tensor, approximate: str, g: Tensor) -> Tensor | None:
        if approximate == "tanh" or in_graph(x, g):
            return None  # in a graph (a second derivative) the in-place steps would break it
        # Φ(x) + x·φ(x) on x clipped to ±40, beyond which it is exactly 0 or 1
        xc = torch.clamp(x, -NORMAL_GATE_CLIP, NORMAL_GATE_CLIP)
        x_phi = xc * xc
        x_phi.mul_(-0.5).exp_().mul_(_INV_SQRT_2PI).mul_(xc)
        return normal_cdf(xc).add_(x_phi).mul_(g)

    def gelu_and_prime_fused(self, x: Tensor,
                             approximate: str) -> tuple[Tensor, Tensor] | None:
        """(x·Φ(x), Φ(x) + x·φ(x)) sharing one erfc, φ(x) = e^(-x²/2)/√(2π); tanh: (x·σ(2u),
        σ(2u) + x·σ'(2u)·2u') sharing σ(2u)."""
        if in_graph(x):
            return None
        if approximate == "tanh":
            return self._gelu_tanh_and_prime(x)
        # in-place steps, one temporary: every fresh tensor costs its page faults.  Only
        # ±inf needs x clipped to ±40 (Φ·x and x·φ would be 0·inf there; for finite x
        # Φ and φ underflow to exactly 0 first): one reduction tells whether there is any
        xc = torch.clamp(x, -NORMAL_GATE_CLIP, NORMAL_GATE_CLIP) if has_non_finite(x) else x
        cdf = normal_cdf(xc)
        # Φ·x last (no overflow); above the clip Φ is exactly 1: x itself (+inf stays inf)
        y = cdf * x if xc is x else torch.where(x > NORMAL_GATE_CLIP, x, cdf * xc)
        return y, add_x_normal_pdf_(cdf, xc)

    def gated_sigmoid_fused(self, x: Tensor, beta: float) -> Tensor | None:
        return gated_sigmoid(x, beta)

    def silu_prime_fused(self, z: Tensor, g: Tensor) -> Tensor | None:
        return silu_prime_times(g, z)

    @staticmethod
    def _gelu_tanh_and_prime(x: Tensor) -> tuple[Tensor, Tensor]:
        # on x clipped to ±100, beyond which σ(2u) is exactly 0 or 1 and σ'(2u) exactly 0
        # (no inf·0; u's cube cannot overflow); y takes x itself where finite.  Four
        # fresh tensors besides y (each costs its page faults): σ'(2u) written over 2u,
        # dy over σ(2u) as one multiply-add, 2u' in two passes
        xc = torch.clamp(x, -GELU_TANH_CLIP, GELU_TANH_CLIP)
        x2 = torch.square(xc)
        # 2u rounded as the NumPy formula rounds it: σ'(2u) ≈ e^2u far left carries 2u's
        # rounding times |2u| (a multiply-add form differed by 7.6e-6 at x = -9, float32)
        two_u = torch.mul(x2, GELU_TANH_CUBIC).add_(1.0).mul_(xc).mul_(2.0 * _SQRT_2_OVER_PI)
        gate = torch.sigmoid(two_u)
        gate_prime = _softplus_backward_over(gate, two_u, -1.0, SIGMOID_SATURATES,
                                             grad_input=two_u)  # σ(2u)σ(-2u)
        y = gate * x if not has_non_finite(x) else torch.where(x > GELU_TANH_CLIP, x, gate * xc)
        two_du = x2.mul_(6.0 * _SQRT_2_OVER_PI * GELU_TANH_CUBIC).add_(2.0 * _SQRT_2_OVER_PI)
        dy = gate.addcmul_(gate_prime.mul_(two_du), xc)
        return y, dy
