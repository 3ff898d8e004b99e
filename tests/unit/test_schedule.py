"""/schedule's parts: `/at` and `/days` as an admin types them, the task definition Task Scheduler is given
(checked by the stand-in's schema rules, as schtasks /create /xml checks it), and the state file's record of it
(read by an elevated run, so a planted one is refused)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from installer import schedule, state
from installer.errors import SetupError
from installer.layout import Layout
from installer.windows import tasks
from installer.windows_args import split_windows_args
from tests.harness.schtasks_standin import parse_task_xml


@pytest.mark.parametrize(("text", "days"), [
    ("MON-FRI", ("MON", "TUE", "WED", "THU", "FRI")),
    ("mon,wed,fri", ("MON", "WED", "FRI")),
    ("SAT-SUN,MON", ("MON", "SAT", "SUN")),
    ("DAILY", schedule.DAYS),
])
def test_days(text: str, days: tuple[str, ...]) -> None:
    assert schedule.parse_days(text) == days


@pytest.mark.parametrize("text", ["FRI-MON", "MONDAY", "", "MON,,FRI", "1-5"])
def test_bad_days_are_1639(text: str) -> None:
    with pytest.raises(SetupError) as failed:
        schedule.parse_days(text)
    assert failed.value.code == 1639 and "/days" in failed.value.message


@pytest.mark.parametrize(("text", "at"), [("05:30", "05:30"), ("5:30", "05:30"), ("23:59", "23:59")])
def test_at(text: str, at: str) -> None:
    assert schedule.parse_at(text) == at


@pytest.mark.parametrize("text", ["24:00", "5.30", "05:3", "noon", "05:30:00"])
def test_bad_at_is_1639(text: str) -> None:
    with pytest.raises(SetupError) as failed:
        schedule.parse_at(text)
    assert failed.value.code == 1639


def test_the_task_runs_setup_weekly_as_system_without_restarts(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "integrasjonspunkt æøå")
    planned = schedule.Schedule(spec="latest", at="05:30", days=("MON", "TUE", "WED", "THU", "FRI"),
                                allow_major=False, task=schedule.task_name(layout))
    text, definition = parse_task_xml(tasks.to_xml(schedule.definition(layout, planned)))
    assert "<CalendarTrigger>" in text and "<BootTrigger>" not in text
    assert definition["weekly"]["days"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert definition["weekly"]["start"].endswith("T05:30:00") and definition["weekly"]["weeks"] == "1"
    assert not definition["boot_trigger"] and definition["restart_interval"] is None
    assert definition["user_id"] == "S-1-5-18" and definition["logon_type"] is None
    assert definition["execution_time_limit"] == "PT4H" and definition["multiple_instances"] == "IgnoreNew"
    arguments = split_windows_args(definition["arguments"])
    assert arguments[-5:] == ["/upgrade", "latest", "/dir", str(layout.root), "/quiet"]
    assert planned.task == f"\\integrasjonspunkt-setup-upgrade-{layout.folder_digest}"
    with_major = schedule.Schedule(**{**planned.__dict__, "allow_major": True})
    _, definition = parse_task_xml(tasks.to_xml(schedule.definition(layout, with_major)))
    assert split_windows_args(definition["arguments"])[-1] == "/allow-major"


@pytest.mark.parametrize("planted", [
    {"task": "\\..\\..\\evil", "spec": "latest", "at": "05:30", "days": ["MON"]},
    {"task": "\\x", "spec": "latest /allow-unsigned", "at": "05:30", "days": ["MON"]},
    {"task": "\\x", "spec": "latest", "at": "25:00", "days": ["MON"]},
    {"task": "\\x", "spec": "latest", "at": "05:30", "days": []},
    "weekly",
])
def test_a_planted_schedule_in_the_state_file_is_refused(tmp_path: Path, planted: object) -> None:
    path = tmp_path / "state.json"
    doc = {"format": 1, "version": "2.28.1", "env": "production", "service_id": "integrasjonspunkt",
           "java": "/usr/bin/java", "winsw": "2.12.0/WinSW-x64.exe",
           "schedule": {"task": "\\x", "spec": "latest", "at": "05:30", "days": ["MON"], "allow_major": False}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = state.load(path)
    assert loaded is not None and loaded.schedule is not None
    path.write_text(json.dumps({**doc, "schedule": planted}), encoding="utf-8")
    with pytest.raises(SetupError) as failed:
        state.load(path)
    assert failed.value.code == 14
