"""Shared fixtures: each harness part keeps its fixtures in its own module, registered here."""

pytest_plugins = [
    "tests.harness.fixtures_server",
    "tests.harness.fixtures_standin",
    "tests.harness.fixtures_winsw",
    "tests.harness.fixtures_winreg",
    "tests.harness.fixtures_world",
    "tests.trust_support",
]
