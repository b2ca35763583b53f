"""ecoplan: assess a district's eco-environment indicator values against a rule pack."""

__version__ = "0.1.0"  # hard-coded: importlib.metadata costs ~65 ms at start-up
