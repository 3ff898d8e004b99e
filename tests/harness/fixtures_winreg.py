"""Fixtures of the winreg part of the test harness."""
