"""Where the repository's parts lie, for tests in any folder under tests/ (a test's own __file__ changes with
its folder; these do not)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent
DATA = TESTS / "data"
HARNESS = TESTS / "harness"
