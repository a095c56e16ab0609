"""The playground behind ``actlab serve``: a local web app that trains small networks.

* :mod:`~actlab.web.protocol` — the typed messages between page and server
* :mod:`~actlab.web.datasets` — generated sets, CSV uploads, input features
* :mod:`~actlab.web.network` — the network of catalogue modules, and its export script
* :mod:`~actlab.web.training` — one or two networks trained in lock-step, and frames
* :mod:`~actlab.web.session` — one tab's state and its answer to each message
* :mod:`~actlab.web.server` — the Starlette app: static page and one WebSocket per tab
* ``static/`` — the page: plain HTML, CSS and JavaScript drawing on canvases

Importing this package imports nothing heavy; the modules above import torch.
See docs/playground.md.
"""
