"""Registers every lab experiment (name, title, modules); nothing heavy is imported here."""

from actlab.lab.registry import Experiment, register_experiment

# Issue 3: the source material's experiments.  Each entry: module with Config/run,
# and the plot module with figures(result).
register_experiment(Experiment(
    "gallery", "Gallery of activations",
    "Every catalogue entry in the seeds' six panels: function, derivative, a random sample "
    "and a photo before and after the activation.",
    "actlab.lab.gallery", "actlab.plot.gallery", order=10))
register_experiment(Experiment(
    "saturation_basics", "Sigmoid, tanh and the step function",
    "sigmoid' peaks at 0.25; tanh = 2σ(2x) − 1 and tanh' = 1 − tanh² to machine precision; "
    "the `if x > 0` pitfall on arrays and its vectorised fix.",
    "actlab.lab.saturation_basics", "actlab.plot.saturation_basics", order=20))
register_experiment(Experiment(
    "gates", "Logic gates and XOR",
    "AND, OR, XOR learned by a perceptron, a linear unit, a sigmoid unit, a 2-hidden-unit "
    "sigmoid net and a net with a chosen activation: accuracy, decision regions, surfaces.",
    "actlab.lab.gates", "actlab.plot.gates", order=30))
register_experiment(Experiment(
    "linear_collapse", "Linear layers collapse",
    "A deep net without non-linearity equals one linear layer (the product of its weight "
    "matrices): outputs equal to rounding; a ReLU between the layers breaks it.",
    "actlab.lab.linear_collapse", "actlab.plot.linear_collapse", order=40))
register_experiment(Experiment(
    "approximation", "ReLU approximates curves",
    "x² + noise, sin x and x⁵ fitted by 1-6-1 ('parallel') and 1-2-2-2-1 ('serial') ReLU nets "
    "of 19 parameters; Yarotsky's exact ReLU construction of x² with error 2^(-2m-2).",
    "actlab.lab.approximation", "actlab.plot.approximation", order=50))
register_experiment(Experiment(
    "derivatives", "Numerical vs analytic derivatives",
    "Forward and central differences of sigmoid and tanh against the step h: the V-shaped "
    "error, optimum near 1e-8 and 1e-5; the seeds' h = 1e-15 is visibly wrong.",
    "actlab.lab.derivatives", "actlab.plot.derivatives", order=60))
register_experiment(Experiment(
    "softmax", "Softmax and overflow",
    "Probabilities sum to 1; the naive exp(x)/Σexp(x) gives nan at x = [1010, 1000, 990] "
    "while the max-shifted formula is right.",
    "actlab.lab.softmax", "actlab.plot.softmax", order=70))
# (end of issue 3 entries)
