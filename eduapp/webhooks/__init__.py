"""Webhooks: a clinic's HR system hears of completions, certificates and licences at risk.

``services`` registers endpoints and records one delivery row per event and endpoint in the
request's transaction; ``jobs`` sends each after commit through ``guard`` (the SSRF checks and
a connection pinned to the vetted address) with a signature from ``signing``.
"""
