"""Agreement between annotators and adjudication into gold (empty until that work lands)."""
