"""Practice exams by content area: questions drawn across the catalogue by a blueprint kept as
data (``blueprints/*.yml``), taken as records of their own, scored per area."""
