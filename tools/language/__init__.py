"""The planner's language layer: word meanings from WordNet 3.0 (compiled table, see build_table.py)."""
