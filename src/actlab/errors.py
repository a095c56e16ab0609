"""Errors a user can cause; the CLI turns them into one clear line and exit code 2."""


class UserError(Exception):
    """A bad name, file, parameter or option: the message is shown as is."""
