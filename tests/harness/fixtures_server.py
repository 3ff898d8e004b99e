"""Fixtures of the server part of the test harness."""
