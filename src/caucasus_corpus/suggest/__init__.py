"""Machine suggestions for annotators, made offline by documented rules (empty until that work lands)."""
