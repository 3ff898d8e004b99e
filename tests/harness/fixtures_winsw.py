"""Fixtures of the winsw part of the test harness."""
