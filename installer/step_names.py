"""The names of the steps any plan can produce, in one place.

A name is written into the journal (a recovery finds its steps by it) and picks the label a person is shown
(`wizard.step.<name>` in installer/text/wizard.py): renaming one changes both, so plans use these constants only.
"""

from __future__ import annotations

MAKE_DIRS = "make-dirs"
SECURE_FOLDER = "secure-folder"
WRITE_PROPERTIES = "write-properties"
WRITE_CONFIG_KEYS = "write-config-keys"
PLACE_JAR = "place-jar"
PLACE_WINSW = "place-winsw"
WRITE_XML = "write-xml"
REGISTER = "register"
START = "start"
STOP = "stop"
HEALTH = "health"
COMMIT = "commit"
PRECOPY_DATA = "precopy-data"
SUSPEND_RESTARTS = "suspend-restarts"
STOP_OLD = "stop-old"
BACKUP_DATA = "backup-data"
UNREGISTER_OLD = "unregister-old"
REGISTER_NEW = "register-new"
SCRUB_PASSWORD = "scrub-password"
RESTORE_DATA = "restore-data"
DATA_GUARD = "data-guard"
START_NEW = "start-new"
STOP_KOSMOS = "stop-kosmos"
CREATE_USER = "create-user"
GRANT_USER = "grant-user-rights"
USER_LOGON_RIGHT = "user-logon-right"

# Shown instead of a step's name: one line for an unregister/register pair that keeps the registration.
KEEP_REGISTRATION = "keep-registration"

ALL = (MAKE_DIRS, SECURE_FOLDER, WRITE_PROPERTIES, WRITE_CONFIG_KEYS, PLACE_JAR, PLACE_WINSW, WRITE_XML, REGISTER,
       START, STOP, HEALTH, COMMIT, PRECOPY_DATA, SUSPEND_RESTARTS, STOP_OLD, BACKUP_DATA, UNREGISTER_OLD,
       REGISTER_NEW, SCRUB_PASSWORD, RESTORE_DATA, DATA_GUARD, START_NEW, STOP_KOSMOS, CREATE_USER, GRANT_USER,
       USER_LOGON_RIGHT)
LABELS = (*ALL, KEEP_REGISTRATION)
