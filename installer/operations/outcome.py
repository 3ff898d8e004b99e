"""What the verbs record when they end: the last operation in the state file."""

from __future__ import annotations

from installer.state import State, utc_now


def record_operation(state: State, verb: str, old: str | None, new: str | None, result: str, code: int) -> None:
    state.last_operation = {"verb": verb, "from": old, "to": new, "result": result, "exit_code": int(code),
                            "at": utc_now()}
