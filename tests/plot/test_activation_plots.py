"""Figure builders for activations, and the Jupyter HTML that embeds one."""

from __future__ import annotations

import base64
import html
import re

import numpy as np
import pytest

import actlab
from actlab.plot.activation_plots import (
    activation_curve,
    default_grid,
    label_of,
    plot_activations,
    plot_function_and_derivative,
)
from actlab.plot.jupyter import activation_html, format_range
from actlab.plot.style import figure_to_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def labelled_lines(ax):  # the curves, without the grey reference lines at x = 0, y = 0
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # an independent formula for σ


def test_overlay_has_one_line_per_activation_in_each_panel() -> None:
    acts = [actlab.get("relu"), actlab.get("elu", alpha=0.5), actlab.get("tanh")]
    x = default_grid(-3.0, 3.0, 301)
    fig = plot_activations(acts, derivative=True, x=x)
    axes = fig.get_axes()
    assert len(axes) == 2
    for ax in axes:
        assert [line.get_label() for line in labelled_lines(ax)] == [
            "relu", "elu(alpha=0.5)", "tanh"]
    tanh_f, tanh_d = labelled_lines(axes[0])[2], labelled_lines(axes[1])[2]
    np.testing.assert_allclose(tanh_f.get_ydata(), np.tanh(x), rtol=1e-12)
    np.testing.assert_allclose(tanh_d.get_ydata(), 1.0 / np.cosh(x) ** 2, rtol=1e-10)


def test_without_derivative_one_panel() -> None:
    fig = plot_activations([actlab.get("sigmoid")])
    assert len(fig.get_axes()) == 1
    assert len(labelled_lines(fig.get_axes()[0])) == 1


def test_vector_entries_are_drawn_along_a_two_vector_slice() -> None:
    x = default_grid(-4.0, 4.0, 81)
    softmax = activation_curve(actlab.get("softmax"), x)  # softmax([x, 0])_0 = σ(x)
    assert softmax.label == "softmax([x, 0])₀"
    np.testing.assert_allclose(softmax.y, sigmoid(x), rtol=1e-12)
    np.testing.assert_allclose(softmax.dy, sigmoid(x) * sigmoid(-x), rtol=1e-10)
    glu = activation_curve(actlab.get("glu"), x)  # glu([x, x]) = x σ(x)
    np.testing.assert_allclose(glu.y, x * sigmoid(x), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(glu.dy, sigmoid(x) + x * sigmoid(x) * sigmoid(-x), rtol=1e-10)
    maxout = activation_curve(actlab.get("maxout"), x)  # maxout([x, 0]) = relu(x)
    np.testing.assert_array_equal(maxout.y, np.maximum(x, 0.0))


def test_bad_grid_and_empty_list_raise_value_error() -> None:
    with pytest.raises(ValueError, match="xmin < xmax"):
        default_grid(1.0, -1.0)
    with pytest.raises(ValueError, match="at least one"):
        plot_activations([])


def test_label_shows_only_changed_parameters() -> None:
    assert label_of(actlab.get("leaky_relu")) == "leaky_relu"
    assert label_of(actlab.get("leaky_relu", negative_slope=0.2)) == \
        "leaky_relu(negative_slope=0.2)"


def test_thumbnail_is_two_panels_and_renders_to_png() -> None:
    fig = plot_function_and_derivative(actlab.get("mish"))
    assert len(fig.get_axes()) == 2
    assert figure_to_png(fig).startswith(PNG_SIGNATURE)


def test_format_range() -> None:
    inf = float("inf")
    assert format_range(0.0, inf) == "[0, ∞)"
    assert format_range(-inf, inf) == "(-∞, ∞)"
    assert format_range(-1.0, 1.0) == "[-1, 1]"


def test_jupyter_html_has_the_formula_the_properties_and_an_inline_png() -> None:
    act = actlab.get("leaky_relu")
    page = act._repr_html_()
    assert page == activation_html(act)
    assert f"$$f(x) = {html.escape(act.doc.formula)}$$" in page
    assert "<img" in page
    assert "monotonic" in page and "range" in page
    payload = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert payload is not None
    assert base64.b64decode(payload.group(1)).startswith(PNG_SIGNATURE)
