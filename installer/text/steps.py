"""Messages of the steps of a plan (installer/plans/steps.py). (See installer/messages.py.)"""

EN: dict[str, str] = {
    "steps.changed_after_verification": "{path} changed after it was verified ({algorithm} {actual}, verified "
    "{expected}); it was not used.",
}

NB: dict[str, str] = {
    "steps.changed_after_verification": "{path} ble endret etter at den ble kontrollert ({algorithm} {actual}, "
    "kontrollert {expected}); den ble ikke brukt.",
}
