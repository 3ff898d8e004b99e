"""Fixtures of the standin part of the test harness."""
