"""Evaluation: pure functions from (pack, district, year) to an assessment. No I/O, no printing."""
