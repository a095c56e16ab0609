r"""LaTeX formula -> a readable plain-text line for terminals.

Covers the LaTeX the catalogue uses: ``\frac``, ``\sqrt``, ``\begin{cases}``,
super/subscripts, ``\left``/``\right``, ``\operatorname``/``\text``/``\mathrm``,
Greek letters and relations.  Unknown commands keep their name without the
backslash (``\tanh`` -> ``tanh``), so the output degrades gracefully.

>>> to_plain(r"\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}")
'x if x > 0; α (e^x - 1) if x ≤ 0'
>>> to_plain(r"\frac{x}{1 + |x|}")
'x/(1 + |x|)'
>>> to_plain(r"x^{2} e^{-x^2}")
'x² e^(-x²)'
"""

from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ",
    "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Phi": "Φ", "Sigma": "Σ", "Omega": "Ω",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "lt": "<", "gt": ">", "approx": "≈", "cdot": "·", "times": "×", "pm": "±",
    "mp": "∓", "infty": "∞", "to": "→", "in": "∈", "sum": "Σ", "prod": "Π",
    "partial": "∂", "lvert": "|", "rvert": "|", "vert": "|", "lVert": "‖",
    "rVert": "‖", "mid": "|", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈",
    "rceil": "⌉", "langle": "⟨", "rangle": "⟩", "ldots": "…", "cdots": "⋯",
    "dots": "…", "odot": "⊙", "otherwise": "otherwise", "top": "ᵀ", "sim": "~", "intercal": "ᵀ",
    "circ": "∘", "forall": "∀", "exists": "∃", "setminus": "∖", "cup": "∪", "cap": "∩",
}
SPACES = {",": " ", ";": " ", ":": " ", " ": " ", "quad": " ", "qquad": " ", "!": ""}
TEXT_COMMANDS = {"text", "textrm", "textit", "operatorname", "mathrm", "mathbf", "mathit",
                 "mathcal", "mathbb", "boldsymbol"}
SIZING = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
          "displaystyle", "textstyle"}
SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
# one token, or one call without nested parentheses: √(2), erf(x)
_SIMPLE = re.compile(r"[√\w.′²³]+|[^\s()+\-*/]|(?:√|[A-Za-z_]\w*)\([^()]*\)|\|[^|]*\|")


def _group(s: str, i: int) -> tuple[str, int]:
    """The argument starting at s[i] (a {...} group, a command, or one character)."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
        return s[i + 1 :], len(s)  # unbalanced: take the rest
    if s[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", s[i:])
        assert m is not None  # a backslash always matches one of the alternatives
        return m.group(0), i + len(m.group(0))
    return s[i], i + 1


def _wrap(text: str) -> str:
    """Parenthesise unless the text is a single token or already parenthesised."""
    if len(text) == 1 or _SIMPLE.fullmatch(text) or _parenthesised(text):
        return text
    return f"({text})"


def _parenthesised(text: str) -> bool:
    """'(a + b)' yes; '(a) + (b)' no."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for position, c in enumerate(text):
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return True


def _split_top(body: str, sep: str) -> list[str]:
    """Split on ``sep`` (``\\\\`` between rows, ``&`` between cells) outside braces."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        if depth == 0 and body.startswith(sep, i):
            parts.append(body[start:i])
            i += len(sep)
            start = i
            continue
        c = body[i]
        depth += {"{": 1, "}": -1}.get(c, 0)
        # a backslash escapes the next character: \& is a literal ampersand, not a cell
        i += 2 if c == "\\" else 1
    parts.append(body[start:])
    return parts


def _cases(body: str) -> str:
    rows = []
    for row in _split_top(body, "\\\\"):
        if not row.strip():
            continue
        cells = [to_plain(cell) for cell in _split_top(row, "&")]
        value, condition = cells[0], " ".join(cells[1:]).strip()
        if not condition:
            rows.append(value)
        elif condition.startswith(("otherwise", "else")):
            rows.append(f"{value} otherwise")
        else:
            condition = re.sub(r"^(if|for)\s+", "", condition)
            rows.append(f"{value} if {condition}")
    return "; ".join(rows)


def _ends_in_word(out: list[str]) -> bool:
    """Would a function name appended now run into the previous token?"""
    return bool(out and out[-1] and (out[-1][-1].isalnum() or out[-1][-1] in ")]′"))


def _convert(s: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", s[i:])
            assert m is not None
            cmd = m.group(1)
            i += len(m.group(0))
            if cmd in ("frac", "dfrac", "tfrac"):
                num, i = _group(s, i)
                den, i = _group(s, i)
                out.append(f"{_wrap(to_plain(num))}/{_wrap(to_plain(den))}")
            elif cmd == "sqrt":
                index = ""
                if i < len(s) and s[i] == "[":
                    close = s.index("]", i)
                    index, i = s[i + 1 : close], close + 1
                arg, i = _group(s, i)
                root = {"": "√", "3": "∛", "4": "∜"}.get(index, f"{index}√")
                inner = to_plain(arg)
                out.append(root + (inner if re.fullmatch(r"[\w.]+", inner) else f"({inner})"))
            elif cmd in TEXT_COMMANDS:
                arg, i = _group(s, i)
                if cmd == "operatorname" and _ends_in_word(out):
                    out.append(" ")
                out.append(arg if cmd.startswith("text") else to_plain(arg))
            elif cmd == "begin":
                env, i = _group(s, i)
                end = s.find(f"\\end{{{env}}}", i)
                end = len(s) if end < 0 else end
                body = s[i:end]
                i = min(len(s), end + len(f"\\end{{{env}}}"))
                out.append(_cases(body) if env == "cases" else to_plain(body))
            elif cmd in SIZING:
                continue  # the delimiter that follows is printed on its own
            elif cmd in SPACES:
                out.append(SPACES[cmd])
            elif cmd in SYMBOLS:
                out.append(SYMBOLS[cmd])
                if cmd[0].isalpha() and i < len(s) and s[i].isalnum():
                    out.append(" ")
            elif not cmd.isalpha():
                out.append(cmd)  # \{ \} \| \% \&
            else:
                # \tanh -> tanh, \max -> max; a space keeps "1/β log" from reading "βlog"
                if _ends_in_word(out):
                    out.append(" ")
                out.append(cmd)
        elif c in "^_":
            arg, i = _group(s, i + 1)
            text = to_plain(arg)
            if c == "^" and re.fullmatch(r"[0-9+\-]+", text):
                out.append(text.translate(SUPERSCRIPTS))
            elif c == "^" and text in ("′", "ᵀ"):
                out.append(text)
            else:
                out.append(c + _wrap(text))
        elif c == "{":
            arg, i = _group(s, i)
            out.append(to_plain(arg))
        elif c == "}":
            i += 1
        elif c == "~":
            out.append(" ")
            i += 1
        elif c == "'":
            out.append("′")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def to_plain(latex: str) -> str:
    """A LaTeX formula as one readable line of plain (Unicode) text."""
    text = _convert(latex)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    return text.strip()
