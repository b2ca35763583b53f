"""One module per command; each registers itself on `ecoplan.app.app`."""
