"""The report every output format renders: assessments, check verdicts, problems."""
