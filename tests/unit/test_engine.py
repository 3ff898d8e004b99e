"""The operation engine and its journal, with real files and a real process killed mid-operation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from installer import journal as journal_mod
from installer.engine import FAULT_ENV, Engine, Step, StepFailed
from installer.journal import DONE, STARTED, UNDO_FAILED, UNDONE, Journal


def make_steps(tmp_path: Path, trail: list[str], fail_at: str | None = None, undo_fails: str | None = None,
               healthy_at: str | None = None) -> list[Step]:
    def step(name: str) -> Step:
        def do() -> None:
            trail.append("do " + name)
            if name == fail_at:
                raise RuntimeError(f"{name} broke")
            (tmp_path / name).write_text("x")

        def undo() -> None:
            trail.append("undo " + name)
            if name == undo_fails:
                raise RuntimeError("undo broke")
            (tmp_path / name).unlink(missing_ok=True)

        return Step(name, do, undo, marks_healthy=(name == healthy_at))

    return [step(n) for n in ("a", "b", "c", "d")]


def new_journal(tmp_path: Path) -> Journal:
    # The least a journal's context must hold to be loaded again (journal.load checks it).
    context = {"folder": str(tmp_path), "service_id": "integrasjonspunkt", "env": "staging", "from": "2.28.0",
               "to": "2.28.1"}
    return Journal(tmp_path / ".setup" / "journal.json", "upgrade", context)


def test_all_steps_run_and_are_recorded(tmp_path: Path) -> None:
    trail: list[str] = []
    j = new_journal(tmp_path)
    Engine(j).run(make_steps(tmp_path, trail))
    assert trail == ["do a", "do b", "do c", "do d"]
    loaded = journal_mod.load(j.path)
    assert loaded is not None and loaded.steps == dict.fromkeys("abcd", DONE)


def test_failure_undoes_what_began_in_reverse(tmp_path: Path) -> None:
    trail: list[str] = []
    j = new_journal(tmp_path)
    with pytest.raises(StepFailed) as caught:
        Engine(j).run(make_steps(tmp_path, trail, fail_at="c"))
    assert caught.value.step == "c" and "c broke" in str(caught.value.cause)
    assert trail == ["do a", "do b", "do c", "undo c", "undo b", "undo a"]
    assert not any((tmp_path / n).exists() for n in "abcd")
    assert journal_mod.load(j.path).steps == {"a": UNDONE, "b": UNDONE, "c": UNDONE}


def test_a_failing_undo_does_not_stop_the_others(tmp_path: Path) -> None:
    trail: list[str] = []
    j = new_journal(tmp_path)
    with pytest.raises(StepFailed) as caught:
        Engine(j).run(make_steps(tmp_path, trail, fail_at="d", undo_fails="b"))
    assert trail[-3:] == ["undo c", "undo b", "undo a"]
    assert [name for name, _ in caught.value.undo_failures] == ["b"]
    assert j.steps["b"] == UNDO_FAILED and j.steps["a"] == UNDONE


def test_after_the_health_step_a_failure_is_not_undone(tmp_path: Path) -> None:
    trail: list[str] = []
    j = new_journal(tmp_path)
    Engine(j).run(make_steps(tmp_path, trail, fail_at="d", healthy_at="c"))
    assert "undo c" not in trail and j.healthy


def test_ctrl_c_undoes_too(tmp_path: Path) -> None:
    j = new_journal(tmp_path)
    undone: list[str] = []

    def interrupt() -> None:
        raise KeyboardInterrupt

    steps = [Step("a", lambda: None, lambda: undone.append("a")), Step("b", interrupt, lambda: undone.append("b"))]
    with pytest.raises(StepFailed) as caught:
        Engine(j).run(steps)
    assert isinstance(caught.value.cause, KeyboardInterrupt) and undone == ["b", "a"]


def test_resuming_skips_done_steps(tmp_path: Path) -> None:
    trail: list[str] = []
    j = new_journal(tmp_path)
    j.steps = {"a": DONE, "b": DONE}
    Engine(j).run(make_steps(tmp_path, trail))
    assert trail == ["do c", "do d"]


KILLED = textwrap.dedent("""
    import sys
    from pathlib import Path
    from installer.engine import Engine, Step
    from installer.journal import Journal
    folder = Path(sys.argv[1])
    j = Journal(folder / "journal.json", "test", {"to": "2"})
    steps = [Step(n, lambda n=n: (folder / n).write_text(n)) for n in ("one", "two", "three")]
    Engine(j).run(steps)
""")


def test_fault_injection_kills_right_after_the_named_step(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED, str(tmp_path)], env={**os.environ, FAULT_ENV: "two"},
                          capture_output=True, timeout=30)
    assert proc.returncode == -9
    doc = json.loads((tmp_path / "journal.json").read_text())
    assert doc["steps"] == [{"name": "one", "state": DONE}, {"name": "two", "state": DONE}]
    assert (tmp_path / "two").exists() and not (tmp_path / "three").exists()


def test_journal_is_written_before_the_step_runs(tmp_path: Path) -> None:
    j = new_journal(tmp_path)
    seen: list[str | None] = []

    def look() -> None:
        seen.append(journal_mod.load(j.path).state_of("look"))

    Engine(j).run([Step("look", look)])
    assert seen == [STARTED]
