"""Registers every lab experiment (name, title, modules); nothing heavy is imported here."""

from actlab.lab.registry import Experiment, register_experiment

# Issue 3: the source material's experiments.  Each entry: module with Config/run,
# and the plot module with figures(result).
# (Entries are added here as the experiments land.)
_ = (Experiment, register_experiment)
