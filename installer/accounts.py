"""The account the service logs on as, from `/service-user`: `LocalSystem`, `virtual` (`NT SERVICE\\<id>`),
a local user `.\\name`, a domain user `DOMAIN\\name`, or a group managed service account `DOMAIN\\name$`.

WinSW 2.12 reads `<serviceaccount>` as `<domain>` + `<user>` (+ `<password>`, + `<allowservicelogon>`) and hands
`domain\\user` and the password (null when the element is absent) to CreateService; Windows manages the
passwords of a virtual account and a gMSA, so they get no `<password>`. A virtual account exists only once the
service does, so WinSW must not look it up to grant the service logon right (it does that before CreateService);
it has that right through NT SERVICE\\ALL SERVICES. For the others `<allowservicelogon>` has WinSW grant it (it
reads the domain `.` as this machine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.service_xml import ServiceAccount

LOCAL_SYSTEM = "LocalSystem"
# A user name as Windows allows it: none of " / \ [ ] : ; | = , + * ? < > @, at most 20 characters (a gMSA's
# sAMAccountName: 15 and the `$`).
_CHAR = r"[^\"/\\\[\]:;|=,+*?<>@\s$]"
_DOMAIN = r"[A-Za-z0-9][A-Za-z0-9.-]{0,62}"
_LOCAL = re.compile(rf"^\.\\{_CHAR}{{1,20}}$")
_GMSA = re.compile(rf"^{_DOMAIN}\\{_CHAR}{{1,15}}\$$")
_DOMAIN_USER = re.compile(rf"^{_DOMAIN}\\{_CHAR}{{1,20}}$")


@dataclass(frozen=True)
class Account:
    kind: str  # "localsystem", "virtual", "local", "domain", "gmsa"
    username: str  # as the service manager shows it: LocalSystem, NT SERVICE\id, .\name, DOMAIN\name, DOMAIN\name$

    @property
    def needs_password(self) -> bool:
        return self.kind in ("local", "domain")

    @property
    def name(self) -> str:
        return self.username.rpartition("\\")[2]

    def for_xml(self, password: str | None) -> ServiceAccount | None:
        """The `<serviceaccount>` WinSW registers the service with; None for LocalSystem (WinSW's default)."""
        if self.kind == "localsystem":
            return None
        return ServiceAccount(self.username, password if self.needs_password else None,
                              allow_service_logon=self.kind != "virtual")


def parse(value: str, service_id: str) -> Account:
    """`/service-user`'s value; a bad one is exit 1639 naming the forms."""
    text = value.strip()
    if text.lower() in ("localsystem", ".\\localsystem", "nt authority\\system"):
        return Account("localsystem", LOCAL_SYSTEM)
    if text.lower() == "virtual":
        return Account("virtual", f"NT SERVICE\\{service_id}")
    if text.lower().startswith("nt service\\") and text[len("nt service\\"):].lower() == service_id.lower():
        return Account("virtual", f"NT SERVICE\\{service_id}")
    if _LOCAL.match(text):
        return Account("local", text)
    if _GMSA.match(text):
        return Account("gmsa", text)
    if _DOMAIN_USER.match(text) and not text.lower().startswith(("nt service\\", "nt authority\\")):
        return Account("domain", text)
    raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.bad_value", name="service-user",
                                                  reason=t("account.bad_user", value=value)))


def check(account: Account, *, create: bool, password: str | None, task: bool = False) -> None:
    """The combinations that cannot work, before anything is touched (exit 1639). Task Scheduler knows no
    virtual accounts (they exist for services only), and schtasks takes no gMSA without a password."""
    if task and account.kind in ("virtual", "gmsa"):
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("account.not_for_task", value=account.username))
    if create:
        # setup creates only a local user (a domain's users are the domain admins'), and makes its password
        # itself: one given would have been seen on a command line or in an environment.
        if account.kind != "local":
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("account.create_needs_local"))
        if password:
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("account.create_no_password"))
        return
    if account.needs_password and not password:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("account.needs_password", value=account.username))
    if not account.needs_password and password:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("account.no_password_here", value=account.username))
