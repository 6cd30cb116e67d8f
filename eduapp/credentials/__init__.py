"""Open Badges 3.0 credentials: every certificate as a signed, machine-checkable credential."""
