"""The playground's export, rebuilt as a user would (the saved model.py and its weights),
and checked against the session's own network."""

from __future__ import annotations

import base64
import types
from pathlib import Path
from typing import Any

import torch


def assert_export_rebuilds_the_network(exported: dict[str, Any], session: Any,
                                       directory: Path) -> None:
    """Write model.pt and model.py from the ``export`` message, load the model from the
    script, and require its outputs on the training points to equal the session's."""
    (directory / "model.pt").write_bytes(base64.b64decode(exported["state_dict"]))
    (directory / "model.py").write_text(exported["script"])
    module = types.ModuleType("exported_model")
    module.__file__ = str(directory / "model.py")
    exec(compile(exported["script"], module.__file__, "exec"), module.__dict__)
    rebuilt = module.load()
    points = torch.from_numpy(session.train.xy)
    with torch.no_grad():
        ours = session.run.trainers[0].model(session.run.data.train_x)
        theirs = rebuilt(module.features(points))
    assert torch.equal(ours, theirs)
