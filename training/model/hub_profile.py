"""The hub profile: one YAML file that describes one real JupyterHub.

Everything hub-specific in the site comes from here. The model is strict (unknown keys are errors)
so that a typo in a client's file is reported instead of silently producing a wrong site.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator, model_validator
from slugify import slugify

from training.model.helm_values import dig, merge_values
from training.model.hub_init import FILL_IN, unset_values
from training.site import DEMO_HUB_FILE

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ENV_VAR_PATTERN = r"^[A-Z_][A-Z0-9_]*$"

LoginProvider = Literal["github", "cilogon", "google", "auth0", "shared-password", "generic"]
Interface = Literal["lab", "notebook", "rstudio", "vscode", "desktop"]
Language = Literal["python", "r"]
Cloud = Literal["aws", "gcp", "azure", "none"]

#: The features a module may ``require``; :attr:`HubProfile.features` says which a hub has.
FEATURES: dict[str, str] = {
    "lab": "the hub offers JupyterLab",
    "notebook": "the hub offers the classic notebook interface",
    "rstudio": "the hub offers RStudio",
    "vscode": "the hub offers VS Code",
    "desktop": "the hub offers a Linux desktop in the browser (jupyter-remote-desktop-proxy)",
    "python": "the hub offers Python",
    "r": "the hub offers R",
    "scratch-bucket": "the hub has a scratch bucket (`storage.scratch`)",
    "persistent-bucket": "the hub has a persistent bucket (`storage.persistent`)",
    "cloud-bucket": "the hub has a scratch or a persistent bucket",
    "scratch-retention": "the scratch bucket deletes files after some days (`storage.scratch.retention_days`)",
    "dask-gateway": "the hub runs Dask Gateway",
    "github-push": "the hub has gh-scoped-creds (`github_push`)",
    "profile-options": "the hub shows a Server Options page (`profile_list` is not empty)",
    "custom-image": "a profile lets users type their own image (`unlisted_choice`)",
    "build-image": "a profile lets users build their own image from a repository (`dynamic_image_building`)",
    "opens-<interface>": "a profile, a choice or the one server opens that interface directly "
    "(`kubespawner_override.default_url`), e.g. `opens-rstudio`, `opens-desktop`",
    "single-server": "the hub starts one kind of server, with no Server Options page (`single_server`)",
    "shared-dirs": "the hub has shared folders",
    "shared-writable": "some shared folders are writable by every user (`storage.shared_writable`)",
    "shared-readonly": "some shared folders are read-only for users (not in `storage.shared_writable`)",
    "logout-stops-server": "File > Log Out also stops the server (`login.shutdown_on_logout`)",
    "max-age": "servers are stopped after a maximum age (`server.max_age_days`)",
    "home-quota": "the home folder has a size limit (`storage.home_quota_gb`)",
    "login-access": "the hub file says who may log in (`login.access`)",
    "login-instructions": "the hub file has extra login instructions (`login.instructions`)",
    "community": "the hub file names the community it serves (`community`)",
    "support-url": "the support channel has a link (`support.url`)",
    "support-email": "the support channel has an e-mail address (`support.email`)",
    "report": "the hub file turns the onboarding report on (`report.enabled`): exercises write completion stamps",
    "cost": "the hub file gives what an hour of some server costs (`cost` on a profile or a choice)",
    "usage-dashboard": "the hub has a usage dashboard (`usage_dashboard`)",
    "site-url": "the hub file gives the training site's address (`site_url`)",
    "login-<provider>": "people log in with that provider, e.g. `login-github`, `login-shared-password`",
    "cloud-<cloud>": "the hub runs on that cloud, e.g. `cloud-aws`, `cloud-gcp`",
}


def feature_names() -> set[str]:
    """Every feature name a module or an ``only-if`` block may use."""
    names = {name for name in FEATURES if "<" not in name}
    names |= {f"login-{p}" for p in LoginProvider.__args__}
    names |= {f"cloud-{c}" for c in Cloud.__args__}
    names |= {f"opens-{i}" for i in Interface.__args__}
    return names


class HubFileError(Exception):
    """A hub file is wrong. ``problems`` holds one ready-to-print line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _check_web_url(value: str, *, allow_local_http: bool = True) -> str:
    """Accept https URLs (http only for a hub on this machine); reject everything else."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme == "http" and allow_local_http and parts.hostname in LOCAL_HOSTS:
        return value.rstrip("/")
    if parts.scheme != "https":
        raise ValueError(f"{value!r} is not an https URL; expected https://host/... (http only for localhost)")
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host name; expected https://host/...")
    if any(c in value for c in " \"'<>`\\"):
        raise ValueError(f"{value!r} contains spaces, quotes or angle brackets; expected a plain URL")
    return value.rstrip("/")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)


class LenientModel(BaseModel):
    """KubeSpawner structures: keep the Kubernetes-only keys admins already have, but never show them."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, strict=True)


class Login(StrictModel):
    provider: LoginProvider = Field(description="How people log in: the authenticator the hub uses.")
    access: str | None = Field(None, description="Who may log in, in words (shown on the login module).")
    instructions: str | None = Field(
        None, description="Extra Markdown shown on the login module (no raw HTML, no `javascript:` links)."
    )
    shutdown_on_logout: bool = Field(False, description="Does File > Log Out also stop the user's server on this hub.")

    @field_validator("instructions")
    @classmethod
    def _no_script_links(cls, value: str | None) -> str | None:
        if value and re.search(r"(?i)(javascript|data|vbscript):", value):
            raise ValueError("contains a javascript:/data: link; expected plain Markdown with https links")
        return value


class UnlistedChoice(LenientModel):
    enabled: bool = Field(False, description="Users may type their own value (e.g. a custom image).")
    display_name: str | None = Field(None, description="Label of the free-text field.")
    display_name_in_choices: str | None = Field(None, description="Label of the choice that reveals it.")
    validation_regex: str | None = None
    validation_message: str | None = None


class DynamicImageBuilding(LenientModel):
    enabled: bool = Field(False, description='The form offers "Build your own image" (jupyterhub-fancy-profiles).')


class Cost(StrictModel):
    """What one hour of a server costs, as the hub's operators last worked it out: shown on the
    learners' pages and summed up in the onboarding report."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=False)

    per_hour: float = Field(ge=0, description="Cost of one hour of a running server, e.g. 0.12.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the currency, e.g. USD or EUR.")
    as_of: dt.date = Field(description="The day the figure was true, YYYY-MM-DD (cloud prices change).")

    @property
    def amount(self) -> str:
        """``0.12``: two decimals, three for amounts under a cent's tenth."""
        return f"{self.per_hour:.2f}" if self.per_hour >= 0.01 or self.per_hour == 0 else f"{self.per_hour:.3f}"

    @property
    def as_of_text(self) -> str:
        return f"as of {self.as_of.day} {self.as_of:%B %Y}"

    def text(self) -> str:
        """``0.12 USD per hour (as of 1 November 2026)``."""
        return f"{self.amount} {self.currency} per hour ({self.as_of_text})"


class Choice(LenientModel):
    display_name: str = Field(description="Label of the choice.")
    description: str | None = None
    default: bool = False
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)
    allowed_groups: list[str] | None = Field(None, description="Only members of these groups see this choice.")
    cost: Cost | None = Field(None, description="Cost per hour of a server with this choice (replaces the profile's).")

    @property
    def default_url(self) -> str | None:
        """The page this choice opens (``kubespawner_override.default_url``), e.g. ``/rstudio``."""
        value = self.kubespawner_override.get("default_url")
        return value if isinstance(value, str) and value else None


class ProfileOption(LenientModel):
    display_name: str = Field(description="Label of the option (e.g. 'Image').")
    choices: dict[str, Choice] = Field(default_factory=dict, description="In the order the hub lists them.")
    unlisted_choice: UnlistedChoice | None = None
    dynamic_image_building: DynamicImageBuilding | None = None

    @property
    def builds_images(self) -> bool:
        """jupyterhub-fancy-profiles offers "Build your own image" here: the ``image`` option with both
        ``dynamic_image_building`` and ``unlisted_choice`` enabled (its ``hasDynamicImageBuilding``)."""
        return bool(
            self.dynamic_image_building
            and self.dynamic_image_building.enabled
            and self.unlisted_choice
            and self.unlisted_choice.enabled
        )

    @model_validator(mode="after")
    def _has_choices(self) -> ProfileOption:
        if not self.choices and not (self.unlisted_choice and self.unlisted_choice.enabled):
            raise ValueError("an option needs at least one choice or an enabled unlisted_choice")
        return self


class Profile(LenientModel):
    display_name: str = Field(description="Name of the profile on the Server Options page.")
    slug: str | None = Field(None, description="KubeSpawner's slug; derived from display_name when absent.")
    description: str | None = None
    default: bool = False
    profile_options: dict[str, ProfileOption] = Field(default_factory=dict)
    kubespawner_override: dict[str, Any] = Field(default_factory=dict)
    allowed_groups: list[str] | None = None
    allowed_teams: list[str] | None = None
    cost: Cost | None = Field(None, description="Cost per hour of a server of this profile.")

    @property
    def effective_slug(self) -> str:
        """The slug KubeSpawner would use: the given one, else ``slugify(display_name)`` as KubeSpawner does."""
        if self.slug:
            return self.slug
        return slugify(self.display_name)

    @property
    def default_url(self) -> str | None:
        """The page the profile opens (``kubespawner_override.default_url``), unless a choice says otherwise."""
        value = self.kubespawner_override.get("default_url")
        return value if isinstance(value, str) and value else None

    @property
    def builds_images(self) -> bool:
        return any(option.builds_images for key, option in self.profile_options.items() if key == "image")

    @property
    def restricted_to(self) -> list[str]:
        return [*(self.allowed_groups or []), *(self.allowed_teams or [])]


class Server(StrictModel):
    idle_timeout_minutes: int = Field(ge=1, description="Idle servers are stopped after this many minutes.")
    max_age_days: int | float | None = Field(None, gt=0, description="Servers are stopped after this age.")
    start_timeout_minutes: int = Field(
        10, ge=1, description="How long the hub waits for a server to start before giving up."
    )


class SingleServer(StrictModel):
    """The one server a hub without a profile list starts (zero-to-jupyterhub's hub-wide ``singleuser``)."""

    image: str | None = Field(None, description="`singleuser.image` as name:tag.")
    mem_guarantee: str | int | float | None = Field(None, description="`singleuser.memory.guarantee`.")
    mem_limit: str | int | float | None = Field(None, description="`singleuser.memory.limit`.")
    cpu_guarantee: int | float | None = Field(None, description="`singleuser.cpu.guarantee`.")
    cpu_limit: int | float | None = Field(None, description="`singleuser.cpu.limit`.")
    default_url: str | None = Field(None, description="`singleuser.defaultUrl`: the page the server opens.")


class Bucket(StrictModel):
    env: str = Field(pattern=ENV_VAR_PATTERN, description="Environment variable holding the URL.")
    url: str = Field(description="URL pattern of the bucket, `{username}` for the user's prefix.")
    retention_days: int | None = Field(None, ge=1, description="Objects are deleted after this many days.")

    @field_validator("url")
    @classmethod
    def _bucket_url(cls, value: str) -> str:
        if not re.match(r"^(s3|gs|gcs|az|abfs)://[a-z0-9][a-z0-9._-]*(/.*)?$", value):
            raise ValueError(f"{value!r} is not a bucket URL; expected s3://bucket/..., gs://... or az://...")
        return value

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0]


class Storage(StrictModel):
    home_dir: str = Field("/home/jovyan", description="The home folder users see.")
    home_quota_gb: int | float | None = Field(None, gt=0, description="Size limit of the home folder.")
    shared_dirs: list[str] = Field(default_factory=list, description="Shared folders inside the home folder.")
    shared_writable: list[str] = Field(
        default_factory=list,
        description="Which of `shared_dirs` every user may write to; the others are read-only for users.",
    )
    cloud: Cloud = Field("none", description="The cloud the hub runs on.")
    scratch: Bucket | None = None
    persistent: Bucket | None = None

    @model_validator(mode="after")
    def _writable_are_shared(self) -> Storage:
        unknown = [name for name in self.shared_writable if name not in self.shared_dirs]
        if unknown:
            raise ValueError(
                f"shared_writable names {', '.join(map(repr, unknown))}, not in shared_dirs; expected some of "
                f"{self.shared_dirs}"
            )
        return self

    @property
    def shared_readonly(self) -> list[str]:
        return [name for name in self.shared_dirs if name not in self.shared_writable]

    @model_validator(mode="after")
    def _buckets_match_cloud(self) -> Storage:
        expected = {"aws": {"s3"}, "gcp": {"gs", "gcs"}, "azure": {"az", "abfs"}, "none": set()}[self.cloud]
        for name in ("scratch", "persistent"):
            bucket = getattr(self, name)
            if bucket is not None and bucket.scheme not in expected:
                want = ", ".join(f"{s}://" for s in sorted(expected)) or "no bucket"
                raise ValueError(f"{name}.url uses {bucket.scheme}:// but cloud is {self.cloud!r}; expected {want}")
        return self


class Materials(StrictModel):
    repo: str = Field(description="Git repository the nbgitpuller links pull from.")
    branch: str = Field("main", min_length=1, description="Branch of that repository (always explicit in links).")

    @field_validator("repo")
    @classmethod
    def _repo_url(cls, value: str) -> str:
        if value.startswith(("file://", "/")):
            return value.rstrip("/")
        return _check_web_url(value)


class Support(StrictModel):
    name: str = Field(description="Name of the support channel, e.g. '#hub-help on Slack'.")
    url: str | None = Field(None, description="Link to the support channel (https).")
    email: str | None = Field(None, pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_web_url(value, allow_local_http=False)

    @model_validator(mode="after")
    def _reachable(self) -> Support:
        if not self.url and not self.email:
            raise ValueError("support needs a url, an email or both")
        return self


class Feedback(StrictModel):
    """Where learners tell the people who run the training what was unclear."""

    name: str = Field("the training's feedback form", min_length=1, description="What to call it in a sentence.")
    url: str | None = Field(None, description="A form or an issue tracker (https).")
    email: str | None = Field(None, pattern=r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_web_url(value, allow_local_http=False)

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value or "{{" in value:
            raise ValueError("must be one line of text without '{{'")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> Feedback:
        if not self.url and not self.email:
            raise ValueError("feedback needs a url, an email or both")
        return self


class GithubPush(StrictModel):
    app_url: str = Field(description="The GitHub app users install on their repositories.")

    @field_validator("app_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_web_url(value, allow_local_http=False)


class Report(StrictModel):
    """The onboarding report: completion stamps in learners' homes, read by ``hub-training report``."""

    enabled: bool = Field(False, description="Exercises end with a check that writes a completion stamp.")
    min_group_size: int = Field(
        5, ge=1, description="The report shows no group (a profile, a choice, a week) with fewer people than this."
    )


class HubProfile(StrictModel):
    """One JupyterHub, as its users see it."""

    id: str = Field(pattern=SLUG_PATTERN, max_length=63, description="Slug; names the output folder.")
    name: str = Field(min_length=1, max_length=120, description="Name of the hub, shown in text.")
    url: str = Field(description="Address of the hub (https; http only for localhost). May have a path prefix.")
    example: bool = Field(False, description="This profile describes a fictional example hub.")
    community: str | None = Field(None, max_length=200, description="Who the hub serves.")
    login: Login
    interfaces: list[Interface] = Field(min_length=1, description="User interfaces the hub offers.")
    languages: list[Language] = Field(min_length=1, description="Languages the hub's images offer.")
    profile_list: list[Profile] = Field(
        default_factory=list, description="KubeSpawner `profile_list`, verbatim; [] = no options page."
    )
    profile_list_from: str | list[str] | None = Field(
        None,
        description=(
            "Read the profile list from a zero-to-jupyterhub values file instead: `singleuser.profileList`, "
            "also under `jupyterhub:` or `basehub: jupyterhub:`. A values file with no profile list gives "
            "`single_server` from its `singleuser.image`, `memory` and `cpu`."
        ),
    )
    single_server: SingleServer | None = Field(
        None, description="What the one server has, on a hub with no profile list (no Server Options page)."
    )
    server: Server
    storage: Storage = Field(default_factory=Storage)
    materials: Materials
    support: Support
    github_push: GithubPush | None = None
    dask_gateway: bool = Field(False, description="The hub runs Dask Gateway.")
    logo: str | None = Field(
        None,
        description="The community's logo (PNG, JPEG or SVG), a path relative to the hub file; shown on the "
        "landing page and above the site's menu.",
    )
    report: Report = Field(default_factory=Report)
    site_url: str | None = Field(None, description="Address where this training site is published (https).")
    feedback: Feedback | None = Field(
        None, description="Where learners say what was unclear in the training; default: the support channel."
    )
    usage_dashboard: str | None = Field(
        None, description="A dashboard (e.g. Grafana) where users see the hub's usage and what it costs (https)."
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_web_url(value)

    @field_validator("site_url", "usage_dashboard")
    @classmethod
    def _optional_url(cls, value: str | None) -> str | None:
        return None if value is None else _check_web_url(value)

    @field_validator("name", "community")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and ("\n" in value or "{{" in value):
            raise ValueError("must be one line of text without '{{'")
        return value

    @field_validator("interfaces", "languages")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists an entry twice")
        return value

    @field_validator("profile_list")
    @classmethod
    def _unique_slugs(cls, profiles: list[Profile]) -> list[Profile]:
        seen: dict[str, int] = {}
        for index, profile in enumerate(profiles):
            slug = profile.effective_slug
            if slug in seen:
                raise ValueError(
                    f"profiles [{seen[slug]}] and [{index}] both have the slug {slug!r}; slugs must be unique"
                )
            seen[slug] = index
        return profiles

    @property
    def features(self) -> set[str]:
        """Names from :data:`FEATURES` this hub has."""
        found: set[str] = {*self.interfaces, *self.languages}
        if self.storage.scratch:
            found |= {"scratch-bucket", "cloud-bucket"}
            if self.storage.scratch.retention_days:
                found.add("scratch-retention")
        if self.storage.persistent:
            found |= {"persistent-bucket", "cloud-bucket"}
        if self.dask_gateway:
            found.add("dask-gateway")
        if self.report.enabled:
            found.add("report")
        if self.github_push:
            found.add("github-push")
        if self.profile_list:
            found.add("profile-options")
        if any(
            option.unlisted_choice and option.unlisted_choice.enabled
            for profile in self.profile_list
            for option in profile.profile_options.values()
        ):
            found.add("custom-image")
        if any(profile.builds_images for profile in self.profile_list):
            found.add("build-image")
        if not self.profile_list:
            found.add("single-server")
        found |= {f"opens-{interface}" for interface in self.opened_interfaces}
        if self.storage.shared_dirs:
            found.add("shared-dirs")
        if self.storage.shared_writable:
            found.add("shared-writable")
        if self.storage.shared_readonly:
            found.add("shared-readonly")
        if self.login.shutdown_on_logout:
            found.add("logout-stops-server")
        if self.server.max_age_days:
            found.add("max-age")
        if self.storage.home_quota_gb:
            found.add("home-quota")
        if self.login.access:
            found.add("login-access")
        if self.login.instructions:
            found.add("login-instructions")
        if self.community:
            found.add("community")
        if self.support.url:
            found.add("support-url")
        if self.support.email:
            found.add("support-email")
        if any(
            p.cost or any(c.cost for o in p.profile_options.values() for c in o.choices.values())
            for p in self.profile_list
        ):
            found.add("cost")
        if self.usage_dashboard:
            found.add("usage-dashboard")
        if self.site_url:
            found.add("site-url")
        found.add(f"login-{self.login.provider}")
        found.add(f"cloud-{self.storage.cloud}")
        return found

    @property
    def opened_interfaces(self) -> set[str]:
        """Interfaces some profile, choice or the one server opens directly (its ``default_url``)."""
        urls = [self.single_server.default_url if self.single_server else None]
        for profile in self.profile_list:
            urls.append(profile.default_url)
            urls += [c.default_url for o in profile.profile_options.values() for c in o.choices.values()]
        return {name for url in urls if (name := interface_of_url(url))}

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def values(self) -> dict[str, Any]:
        """The nested values authors reach with ``{{ hub.<dotted.path> }}``, plus derived helpers."""
        data = self.model_dump(mode="json", exclude={"profile_list_from", "logo"})
        data["host"] = self.host
        data["storage"].update(CLOUD_STORAGE[self.storage.cloud])
        data["storage"]["vsi_handler"] = data["storage"]["vsi_prefix"].rstrip("/")  # as GDAL's messages name it
        data["storage"]["shared_readonly"] = self.storage.shared_readonly
        data["login"]["provider_name"] = PROVIDER_NAMES[self.login.provider]
        data["server"]["max_age"] = duration_words(self.server.max_age_days) if self.server.max_age_days else None
        data["language_names"] = " or ".join(LANGUAGE_NAMES[language] for language in self.languages)
        data["install_commands"] = " or ".join(INSTALL_COMMANDS[language] for language in self.languages)
        from training.model.nbgitpuller import clone_dir

        data["materials"]["clone_dir"] = clone_dir(self.materials.repo)
        return data


#: What each cloud's object storage is called in code: ``{{ hub.storage.<key> }}`` (see DERIVED_VALUES).
CLOUD_STORAGE: dict[str, dict[str, str]] = {
    "aws": {
        "scheme": "s3",
        "fs_package": "s3fs",
        "vsi_prefix": "/vsis3/",
        "anonymous_option": "anon=True",
        "public_data_url": "s3://cmip6-pds/pangeo-cmip6.csv",
    },
    "gcp": {
        "scheme": "gs",
        "fs_package": "gcsfs",
        "vsi_prefix": "/vsigs/",
        "anonymous_option": 'token="anon"',
        "public_data_url": "gs://cmip6/pangeo-cmip6.csv",
    },
    "azure": {
        "scheme": "az",
        "fs_package": "adlfs",
        "vsi_prefix": "/vsiaz/",
        "anonymous_option": 'account_name="azureopendatastorage"',  # adlfs: an account name, no key
        "public_data_url": "",
    },
    "none": {
        "scheme": "",
        "fs_package": "",
        "vsi_prefix": "",
        "anonymous_option": "",
        "public_data_url": "",
    },
}

#: Values derived from the hub file that content may use as ``{{ hub.<key> }}``; listed on the
#: hub profile's reference page.
DERIVED_VALUES: dict[str, str] = {
    "host": "The hub's host name, from `url`.",
    "language_names": "The hub's languages as a sentence says them: `Python or R`, `R`...",
    "install_commands": "How to install a package in each of the hub's languages, as plain words.",
    "login.provider_name": "The login provider as people know it, e.g. GitHub.",
    "server.max_age": "`server.max_age_days` in words: `7 days`, `1 day`, or in hours under a day (`12 hours`).",
    "materials.clone_dir": "The folder in the home folder that nbgitpuller clones the materials into.",
    "storage.shared_readonly": "The shared folders users may only read: `shared_dirs` minus `shared_writable`.",
    "storage.scheme": "The bucket address scheme of the hub's cloud: `s3`, `gs` or `az`.",
    "storage.fs_package": "The fsspec package for that cloud: `s3fs`, `gcsfs` or `adlfs`.",
    "storage.vsi_prefix": "GDAL's prefix for that cloud: `/vsis3/`, `/vsigs/` or `/vsiaz/`.",
    "storage.vsi_handler": "GDAL's name for that cloud's file system, as its messages print it: `/vsis3`...",
    "storage.anonymous_option": "The fsspec argument that reads public data without credentials.",
    "storage.public_data_url": "A public dataset on that cloud (Pangeo's CMIP6 catalogue); empty if none.",
}


#: The first part of a ``default_url`` -> the interface it opens.
URL_INTERFACES: dict[str, str] = {
    "lab": "lab",
    "tree": "notebook",
    "notebooks": "notebook",
    "rstudio": "rstudio",
    "desktop": "desktop",
    "vscode": "vscode",
    "code-server": "vscode",
}


def interface_of_url(url: str | None) -> str | None:
    """The interface a ``default_url`` opens: ``/rstudio`` -> rstudio, ``/desktop`` -> desktop, ``/lab`` -> lab."""
    if not url:
        return None
    return URL_INTERFACES.get(url.strip("/").split("/", 1)[0].split("?", 1)[0])


def duration_words(days: float) -> str:
    """``7`` -> ``7 days``, ``1`` -> ``1 day``, ``0.5`` -> ``12 hours``: what a person would say."""
    if days < 1:
        hours = days * 24
        shown = f"{hours:.1f}".removesuffix(".0")
        return f"{shown} hour" + ("" if shown == "1" else "s")
    shown = f"{days:.1f}".removesuffix(".0")
    return f"{shown} day" + ("" if shown == "1" else "s")


LANGUAGE_NAMES = {"python": "Python", "r": "R"}
INSTALL_COMMANDS = {"python": "%pip install in Python", "r": "install.packages() in R"}


PROVIDER_NAMES = {
    "github": "GitHub",
    "cilogon": "CILogon",
    "google": "Google",
    "auth0": "Auth0",
    "shared-password": "a shared workshop password",
    "generic": "your organisation's login",
}


# --- loading -------------------------------------------------------------------------------------


def key_text(key: object) -> str:
    """A key as a problem line names it: plain names as they are, others quoted on one line
    (a YAML key may hold a newline or a colon), ``true``/``false`` as YAML writes them."""
    if isinstance(key, bool):
        return "true" if key else "false"
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else json.dumps(text, ensure_ascii=False)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + key_text(part)
    return out or "(top level)"


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that owns the last key of ``loc`` (to suggest close key names)."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return None
        annotation = field.annotation
        model = next((a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return model


def _flatten(annotation: Any) -> list[Any]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return [annotation]
    return [inner for arg in args for inner in _flatten(arg)]


def _message(error: dict[str, Any], root: type[BaseModel]) -> str:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "missing":
        return "required key is missing; add it"
    if kind == "invalid_key":
        return (
            f"the key {key_text(value)} is not a name; expected a word such as 'name' (YAML reads {value!r} as a value)"
        )
    if kind == "extra_forbidden":
        model = _model_at(loc, root)
        known = [field.alias or name for name, field in model.model_fields.items()] if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
        return f"unknown key; {hint}"
    if kind == "literal_error":
        return f"{value!r} is not allowed; expected one of: {error['ctx']['expected']}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "id":
            return f"{value!r} is not a valid id; expected lowercase letters, digits and dashes (e.g. 'my-hub')"
        if loc and loc[-1] == "env":
            return f"{value!r} is not an environment variable name; expected e.g. SCRATCH_BUCKET"
        return f"{value!r} has the wrong form; expected to match {error['ctx']['pattern']}"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = error["ctx"].get("ge", error["ctx"].get("gt"))
        op = ">=" if kind == "greater_than_equal" else ">"
        return f"{value!r} is too small; expected a number {op} {bound}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{value!r} is not a whole number; expected e.g. 60"
    if kind in {"float_type", "float_parsing"}:
        return f"{value!r} is not a number; expected e.g. 10"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{value!r} is not true/false; expected true or false"
    if kind in {"string_type"}:
        return f"{value!r} is not text; expected a string"
    if kind in {"list_type"}:
        return f"expected a list, got {type(value).__name__}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping of keys to values, got {type(value).__name__}"
    if kind == "too_short":
        return "is empty; expected at least one entry"
    if kind == "string_too_long":
        return f"is too long; expected at most {error['ctx']['max_length']} characters"
    if kind == "string_too_short":
        return "is empty; expected some text"
    if kind.startswith("date_"):
        return f"{value!r} is not a date; expected YYYY-MM-DD, e.g. 2026-02-03"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return error["msg"]


def validation_problems(
    path: Path, exc: ValidationError, root: type[BaseModel], prefix: tuple[str, ...] = ()
) -> list[str]:
    """One line per problem, ``<file>: <dotted.key>: <what is wrong; what is expected>``.

    Shared by every YAML file a user writes (hub profiles, workshop files), so they all read alike.
    """
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    for err in exc.errors():
        loc = _without_union_tag(tuple(err["loc"]), err["type"])
        if err["type"] == "invalid_key":  # pydantic puts the key itself (True read as 1) as the last step
            loc = (*loc[:-1], err["input"])
        # ``int | float`` fails twice, once per type: say it once, as "a number".
        if loc not in by_key or err["type"].startswith("float"):
            by_key[loc] = {**err, "loc": loc}
    return [f"{path}: {_dotted((*prefix, *loc))}: {_message(err, root)}" for loc, err in by_key.items()]


#: The type names pydantic appends to a location when a value fails every type of a union.
_UNION_TAGS = {"int", "float", "str", "bool", "none"}


def _without_union_tag(loc: tuple[Any, ...], kind: str) -> tuple[Any, ...]:
    """``server.max_age_days.int`` -> ``server.max_age_days``, for type errors only (keys are user text)."""
    if len(loc) > 1 and kind.endswith(("_type", "_parsing")) and loc[-1] in _UNION_TAGS:
        return loc[:-1]
    return loc


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"line {mark.line + 1}" if mark else "(file)"
    problem = " ".join((getattr(exc, "problem", None) or str(exc)).split())  # one line, always
    return f"{path}: {where}: invalid YAML: {problem}; expected a YAML mapping of keys to values"


#: libyaml's safe loader when PyYAML has it (about ten times faster: every build reads dozens of
#: YAML blocks), else the pure-Python one. Both are safe loaders.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(SAFE_LOADER):  # type: ignore[misc,valid-type]
    """Safe loading, but dates stay text: the models parse them, so a bad date is a clean error, not a crash."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def read_yaml_mapping(path: Path, what: str = "file") -> dict[str, Any]:
    """Read a YAML mapping, or raise :class:`HubFileError` with one clean line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HubFileError([f"{path}: (file): no such {what}; expected a path to a YAML file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HubFileError(
            [f"{path}: (file): cannot read it ({exc.__class__.__name__}); expected UTF-8 text"]
        ) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise HubFileError([_yaml_problem(path, exc)]) from None
    if not isinstance(data, dict):
        raise HubFileError(
            [f"{path}: (top level): expected a YAML mapping of keys to values, got {type(data).__name__}"]
        )
    return data


#: Where zero-to-jupyterhub's settings sit in the values files real hubs use: the chart itself, a chart
#: that depends on it (2i2c's basehub), and one more level down (2i2c's daskhub: LEAP, CryoCloud...).
HUB_SECTIONS: tuple[tuple[str, ...], ...] = ((), ("jupyterhub",), ("basehub", "jupyterhub"))


def hub_section(values: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]] | None:
    """The first nesting of :data:`HUB_SECTIONS` that has a ``singleuser`` mapping, and that mapping's parent."""
    for path in HUB_SECTIONS:
        section = dig(values, path)
        if isinstance(section, dict) and isinstance(section.get("singleuser"), dict):
            return path, section
    return None


def dotted_path(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _tried_paths(leaf: str) -> str:
    return ", ".join(dotted_path((*path, "singleuser", leaf)) for path in HUB_SECTIONS)


def _byte_value(value: Any) -> str | int | float | None:
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def single_server_from(singleuser: dict[str, Any]) -> dict[str, Any]:
    """The hub-wide server of a values file: ``singleuser.image``, ``memory``, ``cpu`` and ``defaultUrl``."""
    server: dict[str, Any] = {}
    image = singleuser.get("image")
    if isinstance(image, dict) and isinstance(image.get("name"), str):
        tag = image.get("tag")
        server["image"] = f"{image['name']}:{tag}" if tag not in (None, "") else image["name"]
    for key, prefix in (("memory", "mem"), ("cpu", "cpu")):
        block = singleuser.get(key)
        if isinstance(block, dict):
            for part in ("guarantee", "limit"):
                value = _byte_value(block.get(part))
                if value is not None and not (prefix == "cpu" and isinstance(value, str)):
                    server[f"{prefix}_{part}"] = value
    if isinstance(singleuser.get("defaultUrl"), str):
        server["default_url"] = singleuser["defaultUrl"]
    return server


@dataclass(frozen=True)
class ValuesServers:
    """What a values file says about the servers users get."""

    source: Path
    path: tuple[str, ...]  # where profileList is, e.g. ("basehub", "jupyterhub", "singleuser", "profileList")
    profile_list: list[Any]
    single_server: dict[str, Any]


def servers_from_values(values: dict[str, Any], values_path: Path, where: str) -> ValuesServers:
    """The profile list (or, without one, the one server) of a merged values mapping.

    ``where`` starts each problem line (the hub file and key that pointed here, or the values file).
    """
    found = hub_section(values)
    if found is None:
        raise HubFileError(
            [
                f"{where}: {values_path} has no hub section (tried {_tried_paths('profileList')}); "
                "expected a zero-to-jupyterhub values file"
            ]
        )
    path, section = found
    singleuser = section["singleuser"]
    profiles = singleuser.get("profileList")
    list_path = (*path, "singleuser", "profileList")
    if profiles is None:
        return ValuesServers(values_path, list_path, [], single_server_from(singleuser))
    if not isinstance(profiles, list):
        raise HubFileError(
            [f"{values_path}: {dotted_path(list_path)}: expected a list of profiles, got {type(profiles).__name__}"]
        )
    return ValuesServers(values_path, list_path, profiles, {})


def profile_list_from_values(values_path: Path, hub_path: Path) -> list[Any]:
    """The profile list of a zero-to-jupyterhub values file, in any nesting of :data:`HUB_SECTIONS`."""
    data = read_yaml_mapping(values_path, "values file")
    servers = servers_from_values(data, values_path, f"{hub_path}: profile_list_from")
    if not servers.profile_list:
        raise HubFileError(
            [
                f"{hub_path}: profile_list_from: {values_path} has no profile list (tried {_tried_paths('profileList')}); "
                "expected a zero-to-jupyterhub values file with a profile list"
            ]
        )
    return servers.profile_list


def _profile_list_problems(servers: ValuesServers) -> list[str]:
    """One line per problem of a profile list read from a values file, located in that file."""
    try:
        TypeAdapter(list[Profile]).validate_python(servers.profile_list)
    except ValidationError as exc:
        return validation_problems(servers.source, exc, Profile, prefix=servers.path)
    return []


LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def logo_path(value: object, hub_path: Path) -> str:
    """The logo file as an absolute path (relative paths are read from the hub file's folder)."""
    if not isinstance(value, str) or not value.strip() or not value.lower().endswith(LOGO_SUFFIXES):
        raise HubFileError([f"{hub_path}: logo: expected a path to a .png, .jpg or .svg file, got {value!r}"])
    logo = Path(value)
    if not logo.is_absolute():
        logo = hub_path.parent / logo
    if not logo.is_file():
        raise HubFileError([f"{hub_path}: logo: {logo} does not exist; expected an image file beside the hub file"])
    return str(logo.resolve())


def load_hub_profile(path: str | Path | None = None) -> HubProfile:
    """Load and validate a hub file (the embedded demo hub when ``path`` is empty)."""
    path = Path(path) if path else DEMO_HUB_FILE
    data = read_yaml_mapping(path, "hub file")
    unset = unset_values(path.read_text(encoding="utf-8"))
    if unset:
        raise HubFileError(
            [
                f"{path}: line {line}: {key}: not set yet (hub-training init could not read it from the "
                f"hub's configuration); replace {FILL_IN!r} on this line"
                for key, line in unset
            ]
        )
    source = data.get("profile_list_from")
    if source is not None:
        if "profile_list" in data:
            raise HubFileError([f"{path}: profile_list_from: set together with profile_list; expected only one"])
        sources = [source] if isinstance(source, str) else source
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(item, str) and item.strip() for item in sources)
        ):
            raise HubFileError(
                [
                    f"{path}: profile_list_from: expected a path to a values file, or a list of them (merged as helm does)"
                ]
            )
        layers: list[dict[str, Any]] = []
        values_paths: list[Path] = []
        for item in sources:
            values_path = Path(item)
            if not values_path.is_absolute():
                values_path = path.parent / values_path
            if not values_path.is_file():
                raise HubFileError([f"{path}: profile_list_from: {values_path} does not exist; expected a values file"])
            layers.append(read_yaml_mapping(values_path, "values file"))
            values_paths.append(values_path)
        named = values_paths[0] if len(values_paths) == 1 else Path(", ".join(map(str, values_paths)))
        servers = servers_from_values(merge_values(layers), named, f"{path}: profile_list_from")
        # Lists replace, so the profile list is the one of the last file that has it: locate problems there.
        holder = next(
            (p for p, layer in zip(values_paths[::-1], layers[::-1], strict=True) if dig(layer, servers.path)), named
        )
        servers = ValuesServers(holder, servers.path, servers.profile_list, servers.single_server)
        problems = _profile_list_problems(servers)
        if problems:
            raise HubFileError(problems)
        data = {**data, "profile_list": servers.profile_list}
        if servers.single_server and "single_server" not in data:
            data["single_server"] = servers.single_server
    if "logo" in data:
        data = {**data, "logo": logo_path(data["logo"], path)}
    try:
        return HubProfile.model_validate(data)
    except ValidationError as exc:
        raise HubFileError(validation_problems(path, exc, HubProfile)) from None
