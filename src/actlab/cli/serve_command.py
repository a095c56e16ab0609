"""``actlab serve``: the interactive playground in the browser (a local web server)."""

from __future__ import annotations

import click

from actlab.errors import UserError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (only this machine by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the playground in the browser.")
@click.option("--quiet", "-q", is_flag=True, help="No request log.")
def serve(host: str, port: int, open_browser: bool, quiet: bool) -> None:
    """Start the playground: train small networks in the browser with any catalogue activation.

    Stop it with Ctrl-C.
    """
    import socket

    import uvicorn

    from actlab.web.server import create_app

    try:  # a port in use is the user's to fix: say so in one line before uvicorn starts
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as err:
        raise UserError(f"cannot listen on {host}:{port}: {err.strerror}") from None
    if host not in LOOPBACK:
        click.echo(f"actlab: warning: listening on {host}: other machines can reach the "
                   "playground", err=True)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    click.echo(f"actlab playground at {url} (Ctrl-C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning" if quiet else "info",
                ws_max_size=1024 * 1024, ws_ping_interval=20.0,
                ws_per_message_deflate=False)  # loopback: compressing each frame only costs CPU


def register(app: click.Group) -> None:
    """Add this module's commands to the app."""
    app.add_command(serve)
