"""Reproducible benchmarks, each beside the naive way it replaces."""
