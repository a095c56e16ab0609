"""The bench: fair, multi-seed comparisons of activations on a task, stored in SQLite."""
