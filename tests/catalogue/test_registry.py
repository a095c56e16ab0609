"""The registry: every entry of the catalogue's specification (docs/design.md) is there
under its canonical name, aliases resolve, and a user's mistakes end in clear errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import actlab
from actlab.catalogue.registry import normalise

# The spec: the canonical names listed in docs/design.md, section by section.
CATALOGUE = {
    "steps": ["heaviside", "bipolar_step", "sign", "threshold"],
    "piecewise_linear": ["identity", "piecewise_linear", "hard_sigmoid", "hard_tanh", "relu6"],
    "rectifiers": ["relu", "leaky_relu", "prelu", "rrelu", "elu", "selu", "celu",
                   "relu_squared"],
    "sigmoidal_and_smooth": ["sigmoid", "tanh", "softsign", "arctan", "log_sigmoid", "softplus",
                             "gelu", "quick_gelu", "silu", "swish", "mish", "hard_swish",
                             "hard_mish", "squareplus", "sparse_plus", "sparse_sigmoid",
                             "exponential", "log1mexp", "hard_shrink", "soft_shrink",
                             "tanh_shrink"],
    "classic": ["gaussian", "sin", "bent_identity", "isru", "snake", "lisht"],
    "vector": ["softmax", "log_softmax", "softmin", "sparsemax", "glu", "swiglu", "geglu",
               "reglu", "maxout"],
}
CANONICAL = [name for names in CATALOGUE.values() for name in names]
VECTOR = set(CATALOGUE["vector"])

# alias -> canonical name (docs/design.md and docs/design.md)
ALIASES = {
    "step": "heaviside",
    "binary_step": "heaviside",
    "unit_step": "heaviside",
    "signum": "sign",
    "linear": "identity",
    "logistic": "sigmoid",
    "swish_1": "silu",
    "swish-1": "silu",
    "hard_silu": "hard_swish",
    "sinusoid": "sin",
}


def test_every_catalogue_entry_is_registered() -> None:
    missing = sorted(set(CANONICAL) - set(actlab.names()))
    assert not missing, f"docs/design.md entries not registered: {missing}"


def test_nothing_is_registered_twice_in_the_spec() -> None:
    assert len(CANONICAL) == len(set(CANONICAL))


@pytest.mark.parametrize("name", CANONICAL)
def test_vector_valued_entries_are_exactly_the_vector_section(name: str) -> None:
    if name not in actlab.names():
        pytest.fail(f"{name} is not registered")
    assert actlab.entry(name).elementwise == (name not in VECTOR)


def test_names_are_sorted_canonical_snake_case() -> None:
    names = actlab.names()
    assert names == sorted(names)
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name), name
        assert normalise(name) == name
        assert actlab.get(name).name == name


def test_aliases_are_not_listed_as_names() -> None:
    assert not set(actlab.aliases()) & set(actlab.names())


@pytest.mark.parametrize(("alias", "canonical"), sorted(ALIASES.items()))
def test_alias_resolves_to_its_canonical_entry(alias: str, canonical: str) -> None:
    act = actlab.get(alias)
    assert act.name == canonical
    assert act == actlab.get(canonical)
    assert actlab.entry(alias) is actlab.entry(canonical)


def test_every_listed_alias_resolves() -> None:
    for alias, canonical in actlab.aliases().items():
        assert actlab.get(alias).name == canonical


def test_names_are_normalised_before_lookup() -> None:
    assert actlab.get("Leaky-ReLU").name == "leaky_relu"
    assert actlab.get("  log sigmoid ").name == "log_sigmoid"


def test_unknown_name_is_a_key_error_with_suggestions() -> None:
    with pytest.raises(actlab.ActivationNotFound) as info:
        actlab.get("sigmoidd")
    assert isinstance(info.value, KeyError)
    message = str(info.value)
    assert "did you mean" in message and "sigmoid" in message
    assert "sigmoid" in info.value.suggestions
    assert "\n" not in message


def test_alias_typo_suggests_the_canonical_name() -> None:
    with pytest.raises(KeyError) as info:
        actlab.get("logistik")
    assert "sigmoid" in str(info.value)


def test_unknown_name_without_close_match_still_raises_cleanly() -> None:
    with pytest.raises(actlab.ActivationNotFound) as info:
        actlab.get("zzzzqqqq")
    assert "zzzzqqqq" in str(info.value)


def test_unknown_keyword_is_a_type_error_naming_it() -> None:
    with pytest.raises(TypeError, match="alhpa"):
        actlab.get("elu", alhpa=0.5)
    with pytest.raises(TypeError, match="beta"):
        actlab.get("relu", beta=1.0)


@pytest.mark.parametrize(
    ("name", "params", "bad"),
    [
        ("elu", {"alpha": -1.0}, "alpha"),
        ("celu", {"alpha": 0.0}, "alpha"),
        ("softplus", {"beta": -2.0}, "beta"),
        ("squareplus", {"b": -1.0}, "b"),
        ("isru", {"alpha": -1.0}, "alpha"),
        ("gelu", {"approximate": "erf"}, "approximate"),
        ("hard_tanh", {"min_val": 2.0, "max_val": 1.0}, "min_val"),
        ("rrelu", {"lower": 0.5, "upper": 0.1}, "lower"),
    ],
)
def test_invalid_value_is_a_value_error_naming_the_parameter(name: str, params: dict,
                                                             bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        actlab.get(name, **params)


def test_wrongly_typed_value_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="alpha"):
        actlab.get("elu", alpha="big")


def test_parameters_and_defaults_follow_the_catalogue() -> None:
    assert actlab.get("leaky_relu").params["negative_slope"] == 0.01
    assert actlab.get("elu").params["alpha"] == 1.0
    assert actlab.get("prelu").params["a"] == 0.25
    assert actlab.get("rrelu").params["lower"] == 1 / 8
    assert actlab.get("rrelu").params["upper"] == 1 / 3
    selu = actlab.get("selu").params
    assert selu["alpha"] == 1.6732632423543772848170429916717
    assert selu["scale"] == 1.0507009873554804934193349852946
    assert actlab.get("softplus").params["beta"] == 1.0
    assert actlab.get("softplus").params["threshold"] is None
    assert actlab.get("gelu").params["approximate"] == "none"
    assert actlab.get("squareplus").params["b"] == 4.0
    assert actlab.get("hard_shrink").params["lambd"] == 0.5
    assert dict(actlab.get("heaviside").params) == {"t": 0.0, "at_threshold": 1.0}
    assert dict(actlab.get("hard_tanh").params) == {"min_val": -1.0, "max_val": 1.0}


def test_torch_defaults_where_libraries_disagree() -> None:
    """docs/design.md: PyTorch's default, the others recorded in the entry."""
    assert float(actlab.get("leaky_relu")(-1.0)) == -0.01
    assert float(actlab.get("hard_sigmoid")(1.0)) == 1 / 6 + 1 / 2
    assert float(actlab.get("relu").derivative(0.0)) == 0.0
    keras = [e for e in actlab.entry("leaky_relu").doc.equivalents if e.library == "keras"]
    assert keras and "0.2" in keras[0].differences


@pytest.mark.parametrize("name", actlab.names())
def test_every_entry_is_documented(name: str) -> None:
    act = actlab.get(name)
    assert act.formula and act.doc.summary
    assert act.references and all(r.source for r in act.references)
    lo, hi = act.properties.range
    assert lo <= hi
    assert act.properties.smoothness in ("discontinuous", "C0", "C1", "C2", "Cinf")
    assert repr(act).startswith("actlab.get(")


def test_bound_parameters_are_read_only_and_hashable() -> None:
    act = actlab.get("elu", alpha=0.5)
    with pytest.raises(TypeError):
        act.params["alpha"] = 2.0  # type: ignore[index]
    assert {act: 1}[actlab.get("elu", alpha=0.5)] == 1
    assert act != actlab.get("elu")
    assert np.isclose(act(-1.0), 0.5 * (np.exp(-1.0) - 1))
