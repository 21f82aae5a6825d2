"""Matching runs and results are added by the matching issue."""
