"""Assessing a plan: its figures, computed once, and its findings."""
