"""Lu, Shin, Su & Karniadakis's born-dead probabilities as published, and their bounds.

Their setting: fully connected ReLU nets with one input (d_in = 1), N units in every
hidden layer, weights drawn independently from a symmetric distribution around 0,
biases set to 0. A net is *born dead* when it is a constant function of its input at
initialisation. Their figure "probability vs # hidden layers" plots, for widths 2, 3, 4,
5 and 10 and 1 to 20 hidden layers, the simulated probability (markers) between the two
bounds of their theorem on d_in = 1 (lines).

Where the numbers come from. The figure and the theorem as the four authors showed them
in the talk "Collapse of deep and narrow ReLU neural nets" (Scientific Machine Learning
workshop, ICERM, 2019): slide 16 "Probability of dying when d_in = 1" (the theorem) and
slide 17 "Numerical test" (the figure), the talk of the work published as
arXiv:1903.06733 (Commun. Comput. Phys. 28 (2020) 1671-1706). The paper's own copy of the
figure could not be consulted when these values were transcribed, so the source names the
talk's slides. The figure is vector graphics: each marker's centre was read from its
drawing coordinates (the probability axis spans 145.5 pt and coordinates are stored to
0.05 pt), so each value below is the plotted value to within ±0.0005 (``READING``). They
are readings of plotted points, not numbers printed in a table, and the figure does not
say how many random nets each point rests on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedBornDead:
    """Simulated P(born dead) per width, at 1, 2, ..., len(values) hidden layers."""

    source: str  # the short form claims use; the bibliography resolves it
    where: str  # which figure / slide of the source
    setting: str
    reading: float  # ± how exactly a value was read off the figure
    simulated: dict[int, tuple[float, ...]]  # width -> P at 1..20 hidden layers
    # the lower and upper bound curves as drawn, at a few depths: width -> depth -> (lo, up)
    plotted_bounds: dict[int, dict[int, tuple[float, float]]]

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(self.simulated)

    @property
    def max_hidden_layers(self) -> int:
        return len(next(iter(self.simulated.values())))

    def value(self, width: int, hidden_layers: int) -> float:
        return self.simulated[width][hidden_layers - 1]


LU_2019_SOURCE = "Lu, Shin, Su & Karniadakis 2019, Dying ReLU and initialization"

LU_2019_BORN_DEAD = PublishedBornDead(
    source=LU_2019_SOURCE,
    where="figure 'probability vs # hidden layers' (widths 2, 3, 4, 5, 10), shown in the "
    "authors' talk 'Collapse of deep and narrow ReLU neural nets' (ICERM 2019), slide 17; "
    "the bounds' theorem on slide 16",
    setting="d_in = 1, N units per hidden layer, weights from symmetric distributions, "
    "biases 0; born dead = constant on the input domain",
    reading=0.0005,
    simulated={
        2: (0.0, 0.1564, 0.3406, 0.4973, 0.6203, 0.7158, 0.7859, 0.8399, 0.8794, 0.9096,
            0.9323, 0.9495, 0.9618, 0.9715, 0.9784, 0.9838, 0.9880, 0.9911, 0.9935, 0.9948),
        3: (0.0, 0.0426, 0.1189, 0.2065, 0.2952, 0.3770, 0.4522, 0.5196, 0.5783, 0.6316,
            0.6770, 0.7175, 0.7519, 0.7828, 0.8110, 0.8337, 0.8550, 0.8732, 0.8890, 0.9031),
        4: (0.0, 0.0113, 0.0368, 0.0725, 0.1144, 0.1598, 0.2048, 0.2505, 0.2938, 0.3371,
            0.3766, 0.4144, 0.4509, 0.4852, 0.5168, 0.5481, 0.5753, 0.6014, 0.6254, 0.6502),
        5: (0.0, 0.0027, 0.0110, 0.0241, 0.0409, 0.0601, 0.0815, 0.1048, 0.1282, 0.1522,
            0.1766, 0.2000, 0.2237, 0.2467, 0.2694, 0.2914, 0.3141, 0.3344, 0.3550, 0.3759),
        10: (0.0, 0.0, 0.0, 0.0, 0.0004, 0.0004, 0.0007, 0.0010, 0.0014, 0.0017,
             0.0021, 0.0027, 0.0031, 0.0038, 0.0045, 0.0048, 0.0055, 0.0065, 0.0069, 0.0076),
    },
    plotted_bounds={
        2: {2: (0.1564, 0.4377), 5: (0.5997, 0.7624), 10: (0.9024, 0.9436),
            20: (0.9945, 0.9969)},
        3: {2: (0.0430, 0.2344), 5: (0.2461, 0.4869), 10: (0.5684, 0.7369),
            20: (0.8804, 0.9309)},
        4: {2: (0.0113, 0.1212), 5: (0.0777, 0.2756), 10: (0.2381, 0.4755),
            20: (0.5460, 0.7251)},
        5: {2: (0.0027, 0.0616), 5: (0.0216, 0.1467), 10: (0.0770, 0.2720),
            20: (0.2302, 0.4701)},
        10: {2: (0.0, 0.0020), 5: (0.0, 0.0048), 10: (0.0, 0.0098), 20: (0.0004, 0.0193)},
    },
)


def upper_bound(width: int, hidden_layers: int) -> float:
    """Their theorem's upper bound, 1 − (1 − 2^−N)^(L−1) for L − 1 hidden layers: the
    probability that one fixed input dies (a net dead on a domain is dead at each point)."""
    return 1.0 - (1.0 - 2.0 ** -width) ** hidden_layers


def lower_bound(width: int, hidden_layers: int) -> float:
    """Their theorem's lower bound for a bias-free net with d_in = 1 and L = hidden + 1
    layers: 1 − P22^(L−2) − c·(P22^(L−2) − P33^(L−2)) with P22 = 1 − 2^−N,
    P33 = 1 − 2^−(N−1) − (N−1)/4^N and c = (1 − 2^−(N−1))(1 − 2^−N) / (1 + (N−1)·2^−N)."""
    n, exponent = width, hidden_layers - 1  # L − 2
    if exponent < 0:
        return 0.0
    p22 = 1.0 - 2.0 ** -n
    p33 = 1.0 - 2.0 ** -(n - 1) - (n - 1) / 4.0 ** n
    c = (1.0 - 2.0 ** -(n - 1)) * (1.0 - 2.0 ** -n) / (1.0 + (n - 1) * 2.0 ** -n)
    return 1.0 - p22 ** exponent - c * (p22 ** exponent - p33 ** exponent)
