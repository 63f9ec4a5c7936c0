"""Camera analysis: frame sources, zones, presence and people counting (no Home Assistant)."""
