"""Catalogue commands: ``actlab list``, ``actlab show NAME``, ``actlab plot NAME...``.

Thin layers over :mod:`actlab.catalogue` and :mod:`actlab.plot`.  Module
import stays light (click and the catalogue only): rich is imported in the
command bodies, matplotlib only by ``plot``, and torch never.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

from actlab.errors import UserError

if TYPE_CHECKING:
    from rich.console import Console

    from actlab.catalogue.activation import Activation
    from actlab.catalogue.metadata import Param

SAMPLE_POINTS = (-10.0, -1.0, 0.0, 1.0, 10.0)  # where `show` prints f and f'
SAMPLE_VECTOR = (-1.0, 0.0, 1.0, 2.0)  # even length: the GLU family splits it in halves
DEFAULT_PLOT_FILE = "activations.png"
PARAM_HELP = "Parameter value, repeatable: -p alpha=0.5 -p beta=2."


# --- parameters given on the command line ---------------------------------------
def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["alpha=0.5", "beta=2"]`` -> ``{"alpha": "0.5", "beta": "2"}`` (still strings)."""
    parsed: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UserError(f"bad -p value {item!r}: expected KEY=VALUE, e.g. -p alpha=0.5")
        parsed[key.strip()] = value.strip()
    return parsed


def typed_value(entry_name: str, spec: Param, raw: str) -> Any:
    """A command-line string -> the Python value the parameter's kind asks for."""
    try:
        if spec.kind == "float" or (spec.kind == "optional_float" and raw.lower() != "none"):
            return float(raw)
        if spec.kind == "optional_float":
            return None
        if spec.kind == "int":
            return int(raw)
        if spec.kind == "bool":
            truth = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
            return truth[raw.lower()]
        return raw
    except (ValueError, KeyError):
        expected = {"float": "a number", "optional_float": "a number or none",
                    "int": "an integer", "bool": "true or false"}.get(spec.kind, spec.kind)
        raise UserError(
            f"bad -p value {spec.name}={raw!r} for {entry_name}: {spec.name} must be {expected}"
        ) from None


def bind(name: str, raw_params: dict[str, str], strict: bool = True) -> Activation:
    """The activation ``name`` with command-line parameters applied.

    ``strict``: a key the entry does not have is an error; otherwise it is ignored
    (``plot elu relu -p alpha=0.5`` applies alpha to elu only).
    """
    import actlab

    cls = actlab.entry(name)  # raises ActivationNotFound with suggestions
    specs = {p.name: p for p in cls.parameters}
    values: dict[str, Any] = {}
    for key, raw in raw_params.items():
        if key not in specs:
            if strict:
                allowed = ", ".join(specs) or "none"
                raise UserError(f"{cls.name} has no parameter {key!r} (parameters: {allowed})")
            continue
        values[key] = typed_value(cls.name, specs[key], raw)
    return actlab.get(name, **values)


def bind_many(names: Sequence[str], raw_params: dict[str, str]) -> list[Activation]:
    """Entries for ``plot``: ``-p`` applies to those that have the key; ``NAME:k=v,k=v``
    sets parameters of one entry only (to compare e.g. two leaky slopes)."""
    acts = []
    used: set[str] = set()
    for spec in names:
        name, _, own = spec.partition(":")
        own_params = parse_assignments(own.split(",")) if own else {}
        act = bind(name, {**raw_params, **own_params}, strict=False)
        bind(name, own_params, strict=True)  # a typo in NAME:key=value is an error
        used |= {p.name for p in act.parameters} & set(raw_params)
        acts.append(act)
    unused = sorted(set(raw_params) - used)
    if unused:
        raise UserError(f"no activation among {', '.join(names)} has a parameter {unused[0]!r}")
    return acts


# --- formatting helpers ------------------------------------------------------------
def console() -> Console:
    """stdout console; wide when piped so that tables are not squeezed to 80 columns."""
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=max(out.width, 140))
    return out


def yes_no(flag: bool) -> str:
    return "✓" if flag else "–"


def sides(first: bool, second: bool, first_word: str, second_word: str) -> str:
    if first and second:
        return "both"
    return first_word if first else second_word if second else "–"


SMOOTHNESS_SHORT = {"discontinuous": "jump", "C0": "C⁰", "C1": "C¹", "C2": "C²", "Cinf": "C∞"}


def number(value: Any) -> str:
    """Compact number for tables: 6 significant digits, nan/inf spelt out."""
    try:
        return f"{float(value):.6g}"
    except (TypeError, ValueError):
        return str(value)


# --- actlab list ---------------------------------------------------------------------
def _list(family: str | None) -> None:
    from rich.table import Table

    import actlab
    from actlab.catalogue.families import parse_family
    from actlab.catalogue.metadata import NORMAL_MOMENTS_DEFINITION
    from actlab.plot.jupyter import format_moment, format_range

    acts = [actlab.get(name) for name in actlab.names()]
    if family is not None:
        try:
            chosen = parse_family(family)
        except ValueError as err:
            raise UserError(str(err)) from None
        acts = [act for act in acts if act.family is chosen]
    acts.sort(key=lambda act: (act.family.rank, act.name))

    table = Table(title=f"actlab catalogue: {len(acts)} activations", title_justify="left",
                  pad_edge=False, padding=(0, 1))
    for header, justify in (("name", "left"), ("family", "left"), ("range", "left"),
                            ("monotonic", "center"), ("smooth", "center"),
                            ("E f(z)", "right"), ("Var f(z)", "right"), ("bounded", "left"),
                            ("saturates", "left"), ("learnable", "left"), ("cost", "right")):
        table.add_column(header, justify=justify, no_wrap=header in ("name", "range"))  # type: ignore[arg-type]
    for i, act in enumerate(acts):
        props = act.properties
        last_of_family = i + 1 == len(acts) or acts[i + 1].family != act.family
        table.add_row(
            act.name,
            act.family.value,
            format_range(*props.range),
            yes_no(props.monotonic),
            SMOOTHNESS_SHORT.get(props.smoothness, props.smoothness),
            format_moment(props.normal_mean),
            format_moment(props.normal_variance),
            sides(props.bounded_below, props.bounded_above, "below", "above"),
            sides(props.saturates_left, props.saturates_right, "left", "right"),
            ", ".join(props.learnable) or "–",
            str(props.cost),
            end_section=last_of_family,
        )
    out = console()
    out.print(table)
    shown = {act.name for act in acts}
    alias_text = ", ".join(f"{alias} → {target}" for alias, target in actlab.aliases().items()
                           if target in shown)
    if alias_text:
        out.print(f"aliases: {alias_text}", markup=False, soft_wrap=False)
    out.print(f"{NORMAL_MOMENTS_DEFINITION} (–: vector-valued, or defined on x > 0 only)",
              markup=False, style="dim")
    out.print("cost = transcendental calls per element; `actlab show NAME` for details",
              markup=False, style="dim")


# --- actlab show -------------------------------------------------------------------
def _heading(out: Console, text: str) -> None:
    out.print()
    out.print(text, style="bold", markup=False)


def _show(name: str, raw_params: dict[str, str]) -> None:
    import numpy as np
    from rich.table import Table

    import actlab
    from actlab.catalogue.registry import normalise
    from actlab.cli.plain_formula import to_plain
    from actlab.plot.jupyter import property_rows

    act = bind(name, raw_params, strict=True)
    doc = act.doc
    out = console()

    canonical = act.name
    called = canonical if normalise(name) == canonical else f"{name} (alias of {canonical})"
    out.print(f"{called}  [{act.family.heading}]", style="bold", markup=False)
    out.print(doc.summary, markup=False)

    _heading(out, "Formula")
    out.print(f"  f(x)  = {to_plain(doc.formula)}", markup=False)
    if doc.derivative_formula:
        out.print(f"  f′(x) = {to_plain(doc.derivative_formula)}", markup=False)
    out.print(f"  LaTeX f:  {doc.formula}", markup=False, style="dim")
    if doc.derivative_formula:
        out.print(f"  LaTeX f′: {doc.derivative_formula}", markup=False, style="dim")

    _heading(out, "Parameters")
    if not act.parameters:
        out.print("  none", markup=False)
    for spec in act.parameters:
        value = act.params[spec.name]
        default = "" if value == spec.default else f" (default {spec.default!r})"
        learnable = " [learnable in torch]" if spec.learnable else ""
        out.print(f"  {spec.name} = {value!r}{default}{learnable}: {spec.doc}", markup=False)

    _heading(out, "Properties")
    for label, text in property_rows(act.properties):
        out.print(f"  {label:<13}{text}", markup=False)

    _heading(out, "Values")
    values = Table(box=None, pad_edge=False, padding=(0, 2), show_header=True)
    if act.elementwise:
        x = np.array(SAMPLE_POINTS)
        values.add_column("x", justify="left")
        for point in SAMPLE_POINTS:
            values.add_column(number(point), justify="right")
        values.add_row("f(x)", *(number(v) for v in np.atleast_1d(act(x))))
        values.add_row("f′(x)", *(number(v) for v in np.atleast_1d(act.derivative(x))))
    else:
        v = np.array(SAMPLE_VECTOR)
        y = np.asarray(act(v))
        e0 = np.zeros_like(y)
        e0.flat[0] = 1.0
        values.add_column("", justify="left")
        values.add_column("", justify="left")
        values.add_row("x", "[" + ", ".join(number(t) for t in v) + "]")
        values.add_row("f(x)", "[" + ", ".join(number(t) for t in y.ravel()) + "]")
        values.add_row("∂f(x)₀/∂x", "[" + ", ".join(
            number(t) for t in np.asarray(act.vjp(v, e0)).ravel()) + "]  (vjp with e₀)")
        values.show_header = False
    out.print(values)

    if doc.kinks:
        _heading(out, "Kinks and jumps" + ("" if act.params == _defaults(act)
                                           else " (with default parameters)"))
        for kink in doc.kinks:
            note = f"  ({kink.note})" if kink.note else ""
            out.print(f"  x = {number(kink.at)}: f = {number(kink.value)}, "
                      f"f′ = {number(kink.derivative)}{note}", markup=False)

    if doc.equivalents:
        _heading(out, "Library equivalents")
        for eq in doc.equivalents:
            diff = f"  differs: {eq.differences}" if eq.differences else "  (same as ours)"
            out.print(f"  {eq.library:<6}{eq.api}{diff}", markup=False)

    if doc.notes:
        _heading(out, "Numerics")
        for note in doc.notes:
            out.print(f"  - {note}", markup=False)

    if doc.references:
        _heading(out, "References")
        for ref in doc.references:
            url = f"  {ref.url}" if ref.url else ""
            out.print(f"  - {ref}{url}", markup=False)

    own_aliases = [alias for alias, target in actlab.aliases().items() if target == canonical]
    if own_aliases:
        _heading(out, "Aliases")
        out.print("  " + ", ".join(own_aliases), markup=False)


def _defaults(act: Activation) -> dict[str, Any]:
    return {p.name: p.default for p in act.parameters}


# --- actlab plot -------------------------------------------------------------------
def _plot(names: Sequence[str], derivative: bool, output: str, xmin: float, xmax: float,
          points: int, raw_params: dict[str, str]) -> str:
    import os

    from actlab.plot.activation_plots import default_grid, plot_activations

    acts = bind_many(names, raw_params)
    try:  # validates the range before matplotlib loads
        grid = default_grid(xmin, xmax, points)
    except ValueError as err:  # --xmin/--xmax as the user gave them
        raise UserError(str(err)) from None
    fig = plot_activations(acts, derivative=derivative, x=grid)
    try:
        fig.savefig(output)
    except OSError as err:  # missing directory, no permission: one line, not a traceback
        raise UserError(f"cannot write {output}: {err.strerror or err}") from None
    except ValueError as err:  # matplotlib: an image format it does not know (-o a.xyz)
        raise UserError(f"cannot write {output}: {err}") from None
    return os.path.abspath(output)


# --- registration ------------------------------------------------------------------
@click.command("list")
@click.option("--family", "-f", default=None, metavar="FAMILY",
              help="Only this family: steps, piecewise_linear, rectifiers, sigmoidal, "
              "self_gated, periodic_and_classic or vector.")
def list_command(family: str | None) -> None:
    """List the catalogue: name, family, range and key properties."""
    _list(family)


@click.command("show")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help=PARAM_HELP)
def show_command(name: str, params: tuple[str, ...]) -> None:
    """Everything about one activation: formula, parameters, properties,
    values, kinks, library equivalents, numerics and references."""
    _show(name, parse_assignments(params))


@click.command("plot")
@click.argument("names", nargs=-1, required=True, metavar="NAME[:KEY=VALUE,...]...")
@click.option("--derivative", "-d", is_flag=True, help="Add a panel with the derivatives.")
@click.option("-o", "--output", default=DEFAULT_PLOT_FILE, show_default=True,
              help="Image file (format from the extension: png, svg, pdf).")
@click.option("--xmin", default=-5.0, show_default=True, type=float, help="Left end of x.")
@click.option("--xmax", default=5.0, show_default=True, type=float, help="Right end of x.")
@click.option("--points", default=1001, show_default=True,
              type=click.IntRange(min=3, max=1_000_000), help="Samples along x.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help=PARAM_HELP + " Applies to every NAME that has the parameter.")
def plot_command(names: tuple[str, ...], derivative: bool, output: str, xmin: float,
                 xmax: float, points: int, params: tuple[str, ...]) -> None:
    """Plot activations on one figure (and their derivatives with --derivative).

    Vector-valued entries are drawn along a 2-vector slice (softmax([x, 0])₀,
    glu([x, x])).  NAME:KEY=VALUE sets a parameter of one curve only, e.g.
    `actlab plot leaky_relu leaky_relu:negative_slope=0.2`.
    """
    path = _plot(names, derivative, output, xmin, xmax, points, parse_assignments(params))
    click.echo(path)


def register(app: click.Group) -> None:
    """Add this module's commands to the app."""
    for command in (list_command, show_command, plot_command):
        app.add_command(command)

