"""Registers every lab experiment (name, title, modules); nothing heavy is imported here."""

from actlab.lab.registry import Experiment, register_experiment

# Issue 3: the source material's experiments.  Each entry: module with Config/run,
# and the plot module with figures(result).
register_experiment(Experiment(
    "gallery", "Gallery of activations",
    "Every catalogue entry in the lecture notes' six panels: function, derivative, a random sample "
    "and a photo before and after the activation.",
    "actlab.lab.gallery", "actlab.plot.gallery", order=10))
register_experiment(Experiment(
    "saturation_basics", "Sigmoid, tanh and the step function",
    "sigmoid' peaks at 0.25; tanh = 2σ(2x) − 1 and tanh' = 1 − tanh² to machine precision; "
    "the `if x > 0` pitfall on arrays and its vectorised fix.",
    "actlab.lab.saturation_basics", "actlab.plot.saturation_basics", order=20))
register_experiment(Experiment(
    "temperature_neuron", "The temperature neuron",
    "The lecture notes' Celsius-to-Fahrenheit neuron (9/5 · C + 32, clamped at 32 °F) on "
    "their test temperatures, and a linear neuron that learns w = 9/5 and b = 32 by "
    "gradient descent from noisy readings over 10 seeds.",
    "actlab.lab.temperature_neuron", "actlab.plot.temperature_neuron", order=25))
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
    "error, optimum near 1e-8 and 1e-5; the lecture notes' h = 1e-15 is visibly wrong.",
    "actlab.lab.derivatives", "actlab.plot.derivatives", order=60))
register_experiment(Experiment(
    "softmax", "Softmax and overflow",
    "Probabilities sum to 1; the naive exp(x)/Σexp(x) gives nan at x = [1010, 1000, 990] "
    "while the max-shifted formula is right.",
    "actlab.lab.softmax", "actlab.plot.softmax", order=70))
# (end of issue 3 entries)

# Issue 4: why activations matter, measured.
register_experiment(Experiment(
    "vanishing_gradients", "Vanishing gradients at initialisation",
    "Per-layer weight-gradient norm at initialisation for depths 2–50, every elementwise "
    "entry, Glorot / He / LeCun initialisation: where the gradient survives the trip down.",
    "actlab.lab.vanishing_gradients", "actlab.plot.vanishing_gradients", order=110))
register_experiment(Experiment(
    "saturation_training", "Saturation during training",
    "Glorot & Bengio's figure in kind: per-layer activation mean, spread and saturation of a "
    "4-layer sigmoid / tanh / softsign net over training, measured with actlab.diagnose.",
    "actlab.lab.saturation_training", "actlab.plot.saturation_training", order=120))
register_experiment(Experiment(
    "dying_relu", "Dying ReLU",
    "Monte Carlo probability that a deep ReLU net is born dead against depth and width, set "
    "beside Lu et al.'s published values and bounds in their setting, and the fraction of "
    "dead units after training against the learning rate (ReLU vs leaky ReLU, PReLU, ELU).",
    "actlab.lab.dying_relu", "actlab.plot.dying_relu", order=130))
register_experiment(Experiment(
    "self_normalisation", "SELU self-normalisation",
    "Mean and variance through 100 layers of width 256 with LeCun-normal weights: SELU "
    "stays at (0, 1), others drift; α and λ recomputed from the closed forms.",
    "actlab.lab.self_normalisation", "actlab.plot.self_normalisation", order=140))
register_experiment(Experiment(
    "zero_centred", "Zero-centred outputs and the zigzag",
    "Per-sample SGD of a neuron fed by sigmoid vs tanh units: positive inputs force "
    "same-signed updates and a zigzag path to weights of opposite signs.",
    "actlab.lab.zero_centred", "actlab.plot.zero_centred", order=150))
register_experiment(Experiment(
    "depth_sweep", "Depth sweep",
    "Final training loss of fully connected nets against depth (2–25 hidden layers) for "
    "ReLU, SiLU, Mish, GELU, SELU, tanh and ELU; GELU vs ReLU and ELU on an 8×128 MLP.",
    "actlab.lab.depth_sweep", "actlab.plot.depth_sweep", order=180))
register_experiment(Experiment(
    "mnist1d_baselines", "MNIST-1D baselines",
    "The published logistic (410), residual MLP (15,210), CNN (5,210) and GRU (5,134 "
    "parameters) trained with Adam as in Greydanus 2020, several seeds: test accuracies with "
    "t-intervals beside 32 / 68 / 94 / 91 %; and the paper's six activations on its MLP, run "
    "with the bench (10 paired seeds) and ranked by mean training loss with its statistics.",
    "actlab.lab.mnist1d_baselines", "actlab.plot.mnist1d_baselines", order=160))
register_experiment(Experiment(
    "convergence_race", "Convergence race: ReLU vs tanh and others",
    "Iterations to 25 % training error per activation (SGD + momentum, learning rate tuned "
    "per activation, 5 seeds) on MNIST-1D and digits (MLP) and the MNIST-1D CNN; the "
    "tanh/ReLU ratio with a bootstrap interval beside Krizhevsky et al.'s 'six times'.",
    "actlab.lab.convergence_race", "actlab.plot.convergence_race", order=170))
