"""The version: one constant, read by the build (pyproject's dynamic version), `ecoplan --version` and the cache key.
A constant, because importlib.metadata costs ~65 ms at start-up."""

__version__ = "0.2.0"
