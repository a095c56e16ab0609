"""Tests of the activation catalogue (shared helpers live in helpers.py, reference.py)."""
