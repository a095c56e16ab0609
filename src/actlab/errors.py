"""Errors a user can cause; the CLI turns them into one clear line and exit code 2.

Anything else that reaches the command line is a bug and keeps its traceback.  The
subclasses also derive from the built-in error a Python caller expects (ValueError
for a bad value, TypeError for a bad type, KeyError for an unknown name), so library
code can be used with ordinary ``except ValueError`` too.
"""


class UserError(Exception):
    """A bad name, file, parameter or option: the message is shown as is."""


class InvalidValue(UserError, ValueError):
    """A value outside what it may be: a parameter, an axis, a shape."""


class InvalidType(UserError, TypeError):
    """A value of the wrong type: a parameter given as text, a name that is not a string."""


class UnknownName(UserError, KeyError):
    """A name that is not in a registry (activation, experiment, family)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
