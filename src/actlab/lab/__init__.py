"""The lab: experiments that show why activations matter (docs/design.md, pillar 2).

Each experiment module has a frozen ``Config`` dataclass (defaults = the full
run; ``Config.quick()`` = a small one for tests) and
``run(config, progress=None) -> Result``.  Figures live in ``actlab.plot``.
"""

from actlab.lab.registry import Experiment, experiment, experiments
from actlab.lab.result import Claim, Result, Table

__all__ = ["Claim", "Experiment", "Result", "Table", "experiment", "experiments"]
