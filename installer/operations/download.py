"""/download SPEC /to DIR: fill a folder for an offline install (`/offline DIR` on a server without internet).

The folder gets the jar with its `.sha1` and `.asc` (and in `keys/` a trusted key refreshed from /key-url), the
WinSW builds (`/winsw`, else the catalog's default builds) under `winsw/v<version>/<asset>`, and `index.json`,
which lists everything the folder holds – also what earlier /download runs put there – so that ranges and `latest`
resolve offline.
Every file is verified as for an install before it takes its name.
"""

from __future__ import annotations

import logging

import requests

from installer import artifacts, keys, offline_index, resolution, sources, winsw_catalog
from installer.errors import ExitCode, SetupError
from installer.layout import jar_name
from installer.messages import t
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI

log = logging.getLogger(__name__)


def _channels(settings: Settings, session: requests.Session | None) -> dict[str, dict[str, str]] | None:
    """Digdir's latest versions, recorded so `latest` resolves offline; a folder is useful without them."""
    try:
        return resolution.open_source(settings, session).channels()
    except SetupError as exc:
        log.warning("latest-versions.yml not recorded in the folder: %s", exc.message)
        return None


def run(settings: Settings, ui: UI) -> Result:
    to = settings.to
    if to is None or settings.spec is None:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.download_needs_to"))
    catalog = winsw_catalog.load_catalog(settings.winsw_catalog)
    if settings.winsw is None:
        builds = winsw_catalog.default_builds(catalog)
    else:
        builds = [winsw_catalog.find_build(catalog, settings.winsw)]
    keys.log_expiring(settings, [to / keys.FOLDER])
    session = sources.session_for(settings, None)
    release = resolution.resolve_for(settings, settings.spec, None, session)
    ui.info(t("artifacts.download_start", tag=release.tag, to=to))
    try:
        to.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.folder_failed", path=to, reason=exc.strerror or exc)) from None
    # A trusted key refreshed from /key-url goes into the folder too, so that /offline can check the jar.
    jar = artifacts.obtain_jar(release, settings, to / jar_name(release.tag), ui, session=session,
                               key_folder=to / keys.FOLDER)
    files = [jar] + [jar.with_name(jar.name + s) for s in sources.SIDECARS if jar.with_name(jar.name + s).exists()]
    files += sorted((to / keys.FOLDER).glob("*.asc"))
    for build in builds:
        dest = to / sources.winsw_relative(build.version, build.asset)
        files.append(artifacts.obtain_winsw(build, settings, dest, ui, session=session))
    offline_index.record_offline(to, release, builds, _channels(settings, session))
    held = sorted(p.relative_to(to).as_posix() for p in files)
    message = t("artifacts.download_done", tag=release.tag, to=to,
                winsw=", ".join(b.spec for b in builds) or t("artifacts.nothing"))
    return Result(verb="download", message=message, version=release.tag,
                  extra={"to": str(to), "files": held, "winsw": [b.spec for b in builds]})
