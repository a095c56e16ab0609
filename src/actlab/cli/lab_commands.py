"""(commands being written)"""

import click


def register(app: click.Group) -> None:
    """Add this module's commands to the app."""
