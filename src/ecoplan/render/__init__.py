"""Renderers: each turns an `Assessment` (or several) into one output format. They only render."""
