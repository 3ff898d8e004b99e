"""Loaded by a setup process whose PYTHONPATH names this folder: with FAKE_WINDOWS_ACCOUNTS set, setup's local
user calls go to tests/harness/fake_windows_accounts.py instead of Windows' DLLs."""

import os

if os.environ.get("FAKE_WINDOWS_ACCOUNTS"):
    from tests.harness.fake_windows_accounts import install_from_env

    install_from_env()
