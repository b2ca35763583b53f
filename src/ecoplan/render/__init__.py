"""Renderers: each turns an `Assessment` (or several, or a pack as a form to fill in) into one output format. They
only render."""
