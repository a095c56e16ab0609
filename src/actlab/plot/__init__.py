"""Pure matplotlib figure builders: data in, :class:`~matplotlib.figure.Figure` out.

Nothing here trains or computes experiments, and nothing uses ``pyplot``.
Import the submodules directly (``from actlab.plot.activation_plots import
plot_activations``); this package imports nothing so that ``import actlab``
and the CLI stay light.
"""
