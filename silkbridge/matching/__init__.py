"""Matching: pairs complementary marketplace profiles; the algorithm lives in `engine/` (no Django)."""
