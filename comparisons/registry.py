"""Reading a framework's package from the package registry (PyPI's JSON API), through the
pypi-json client: `read_package()` gives its `RegistryFacts` or raises `RegistryError`
with a reason a person can act on. Nothing here touches the database; the command
`sync_registry` stores what it reads with `services.registry_snapshot_record()`.

The index is the client's own default (PyPI) unless `settings.PACKAGE_INDEX_URL` names
another (environment variable `VERSUS_PACKAGE_INDEX_URL`); no address is written here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import requests
from django.conf import settings
from packaging.requirements import InvalidRequirement
from packaging.version import InvalidVersion, Version
from pypi_json import PyPIJSON

# The project links the snapshot keeps, by the labels projects give them (case aside).
LINK_LABELS = {
    "documentation_url": ("documentation", "docs"),
    "source_url": ("source", "source code", "repository", "code"),
    "changelog_url": ("changelog", "changes", "release notes", "history"),
}


class RegistryError(Exception):
    """The registry could not tell us about a package; the message says why."""


@dataclass(frozen=True)
class RegistryFacts:
    """What the registry says about one package today."""

    package: str
    registry_url: str
    latest_version: str
    latest_released_on: datetime.date | None
    first_released_on: datetime.date | None
    releases_last_12_months: int
    requires_python: str
    licence: str
    documentation_url: str = ""
    source_url: str = ""
    changelog_url: str = ""
    releases: list[list[str]] = field(default_factory=list)  # [version, "YYYY-MM-DD"]

    def as_fields(self) -> dict:
        """The snapshot's fields (RegistrySnapshot), as stored."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class _DocumentedAddress(requests.Session):
    """pypi-json asks for `…/<project>/json/`, with a trailing slash. PyPI answers either
    spelling (pypi/warehouse#11418), but a mirror need not: the one our CI reaches gives 404
    for it. So the request goes to the documented address, `…/<project>/json`."""

    def request(self, method, url, *args, **kwargs):
        url = str(url)
        if url.endswith("/json/"):
            url = url[:-1]
        return super().request(method, url, *args, **kwargs)


def client() -> PyPIJSON:
    """A registry client on the configured index (the library's default when none is)."""
    session = _DocumentedAddress()
    session.headers["User-Agent"] = "Versus sync_registry (+pypi-json)"
    endpoint = getattr(settings, "PACKAGE_INDEX_URL", "")
    registry = PyPIJSON(endpoint, session=session) if endpoint else PyPIJSON(session=session)
    registry.timeout = getattr(settings, "PACKAGE_INDEX_TIMEOUT", 10)
    return registry


def read_package(
    package: str, *, registry: PyPIJSON, today: datetime.date | None = None
) -> RegistryFacts:
    """Ask the registry about `package`; raises RegistryError naming the reason."""
    try:
        metadata = registry.get_metadata(package)
    except InvalidRequirement:
        raise RegistryError(f"the registry has no package named '{package}'") from None
    except requests.JSONDecodeError as error:
        raise RegistryError(f"the registry's answer is not JSON ({error})") from None
    except requests.Timeout:
        raise RegistryError(f"the registry did not answer within {registry.timeout} s") from None
    except requests.ConnectionError as error:
        raise RegistryError(f"could not reach the registry ({_first_line(error)})") from None
    except requests.RequestException as error:
        raise RegistryError(f"the registry answered with an error ({_first_line(error)})") from None
    except (ValueError, TypeError) as error:  # not JSON, or not the API's shape
        raise RegistryError(f"the registry's answer is not package metadata ({error})") from None
    return facts_from(package, metadata.info, metadata.releases, today=today)


def facts_from(package, info, releases, *, today=None) -> RegistryFacts:
    """The facts in one JSON API answer (`info`, `releases`); RegistryError if malformed."""
    today = today or datetime.date.today()
    if not isinstance(info, dict) or not isinstance(releases, dict):
        raise RegistryError("the registry's answer has no 'info' or no 'releases'")
    try:
        latest = str(info["version"])
        Version(latest)
    except (KeyError, InvalidVersion):
        raise RegistryError("the registry's answer names no valid latest version") from None
    uploaded = {}
    for version, files in releases.items():
        try:
            parsed = Version(version)
        except InvalidVersion:
            continue  # a legacy version string no installer would pick either
        if parsed.is_prerelease or not isinstance(files, list):
            continue
        days = [_upload_day(file) for file in files if isinstance(file, dict)]
        days = [day for day in days if day is not None]
        if days and not all(file.get("yanked") for file in files):
            uploaded[version] = min(days)
    if latest not in uploaded and latest in releases:
        raise RegistryError(f"the registry's answer gives no upload date for {latest}")
    ordered = sorted(uploaded.items(), key=lambda item: (item[1], Version(item[0])))
    year_ago = today - datetime.timedelta(days=365)
    links = {
        str(label).strip().lower(): str(url)
        for label, url in (info.get("project_urls") or {}).items()
        if isinstance(url, str) and url.startswith(("https://", "http://"))
    }
    return RegistryFacts(
        package=str(info.get("name") or package),
        registry_url=_url(info.get("package_url") or info.get("project_url")),
        latest_version=latest,
        latest_released_on=uploaded.get(latest),
        first_released_on=ordered[0][1] if ordered else None,
        releases_last_12_months=sum(1 for _, day in ordered if year_ago < day <= today),
        requires_python=str(info.get("requires_python") or "").strip(),
        licence=_licence(info),
        releases=[[version, day.isoformat()] for version, day in ordered],
        **{
            name: next((links[label] for label in labels if label in links), "")
            for name, labels in LINK_LABELS.items()
        },
    )


def _upload_day(file: dict) -> datetime.date | None:
    stamp = file.get("upload_time_iso_8601") or file.get("upload_time")
    try:
        return datetime.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _licence(info: dict) -> str:
    """The SPDX expression when the release declares one (core metadata 2.4), else a short
    licence field, else the OSI classifier's name."""
    if expression := str(info.get("license_expression") or "").strip():
        return expression
    declared = str(info.get("license") or "").strip()
    if declared and "\n" not in declared and len(declared) <= 60:
        return declared
    for classifier in info.get("classifiers") or []:
        if str(classifier).startswith("License :: OSI Approved :: "):
            return str(classifier).rsplit(" :: ", 1)[-1]
    return ""


def _url(value) -> str:
    value = str(value or "")
    return value if value.startswith(("https://", "http://")) else ""


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
