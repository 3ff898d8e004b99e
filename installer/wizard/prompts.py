"""Questions for a person at the console. Every answer is checked as it is typed; a bad one is asked again with
the reason. Enter takes the default shown in brackets. Ctrl+C (KeyboardInterrupt) and a closed input (EOFError)
reach the caller."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from installer.messages import t

log = logging.getLogger(__name__)

# The reason an answer is not good, or None when it is.
Check = Callable[[str], str | None]

# Both languages' words are understood whichever language is shown.
YES = frozenset({"y", "yes", "j", "ja"})
NO = frozenset({"n", "no", "nei"})


class Asker:
    def __init__(self, console: Any) -> None:
        self.console = console

    def _read(self, prompt: str, *, password: bool = False) -> str:
        return str(self.console.input(prompt, markup=False, password=password))

    def _reject(self, reason: str) -> None:
        log.info("answer refused: %s", reason)
        self.console.print("  " + reason, style="yellow", markup=False, highlight=False)

    def text(self, question: str, default: str | None = None, check: Check | None = None) -> str:
        """A line of text. `default` None: an answer is needed; "" lets Enter give an empty answer."""
        shown = f" [{default}]" if default else ""
        while True:
            answer = self._read(f"{question}{shown}: ").strip()
            if not answer and default is not None:
                answer = default
            if not answer and default is None:
                self._reject(t("wizard.answer_needed"))
                continue
            reason = check(answer) if check is not None and answer else None
            if reason is None:
                log.info("%s -> %s", question, answer or "(empty)")
                return answer
            self._reject(reason)

    def choice(self, question: str, options: Sequence[tuple[str, str]], default: str) -> str:
        """The key of one of `options` (key, label), chosen by its number (or its key); Enter takes `default`."""
        keys = [key for key, _ in options]
        by_name = {key.lower(): key for key in keys}
        for number, (_, label) in enumerate(options, 1):
            self.console.print(f"  {number}. {label}", markup=False, highlight=False)

        def check(answer: str) -> str | None:
            if answer.lower() in by_name or (answer.isdigit() and 1 <= int(answer) <= len(options)):
                return None
            return t("wizard.pick_number", count=len(options))

        answer = self.text(question, str(keys.index(default) + 1), check)
        return by_name.get(answer.lower()) or keys[int(answer) - 1]

    def yes_no(self, question: str, default: bool) -> bool:
        hint = t("wizard.hint_yes") if default else t("wizard.hint_no")
        while True:
            answer = self._read(f"{question} [{hint}]: ").strip().lower()
            if not answer or answer in YES or answer in NO:
                chosen = default if not answer else answer in YES
                log.info("%s -> %s", question, "yes" if chosen else "no")
                return chosen
            self._reject(t("wizard.yes_or_no"))

    def secret(self, question: str) -> str:
        """Hidden input; never logged."""
        while True:
            answer = self._read(f"{question}: ", password=True)
            if answer:
                log.info("%s -> (hidden)", question)
                return answer
            self._reject(t("wizard.answer_needed"))
