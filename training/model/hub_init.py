"""Draft a hub file from a hub's real configuration: zero-to-jupyterhub values files (merged as helm
merges them) and, optionally, the operator's cluster file (2i2c's ``cluster.yaml``).

Every value is read from the configuration, or from the chart's default when the key is absent (the
written file says which), or marked :data:`FILL_IN` with a comment saying why it could not be read.
``hub-training check`` names each value still marked, with its line. Pure: no Sphinx, no printing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from training.model.helm_values import dig, merge_values

#: The value ``init`` writes where the configuration does not say; ``check`` reports each one left.
FILL_IN = "FILL IN"

#: zero-to-jupyterhub's defaults for the keys read here (its values.yaml), used when a key is absent.
Z2JH_DEFAULTS = {"cull.timeout": 3600, "cull.maxAge": 0, "singleuser.startTimeout": 300}
#: 2i2c's basehub chart changes one of them (helm-charts/basehub/values.yaml).
BASEHUB_DEFAULTS = {**Z2JH_DEFAULTS, "singleuser.startTimeout": 600}

#: ``JupyterHub.authenticator_class`` (entry-point names and class paths) -> the hub file's provider.
AUTHENTICATORS = {
    "github": "github",
    "githuboauthenticator": "github",
    "cilogon": "cilogon",
    "cilogonoauthenticator": "cilogon",
    "google": "google",
    "googleoauthenticator": "google",
    "auth0": "auth0",
    "auth0oauthenticator": "auth0",
    "shared-password": "shared-password",
    "sharedpasswordauthenticator": "shared-password",
    "tmpauthenticator": "shared-password",
}

#: ``default_url`` first path segment -> interface.
URL_INTERFACES = {
    "lab": "lab",
    "tree": "notebook",
    "notebooks": "notebook",
    "rstudio": "rstudio",
    "desktop": "desktop",
    "vscode": "vscode",
}

PROVIDER_CLOUDS = {"aws": "aws", "gcp": "gcp", "azure": "azure"}
SCHEME_CLOUDS = {"s3": "aws", "gs": "gcp", "gcs": "gcp", "az": "azure", "abfs": "azure"}
HUB_SECTIONS: tuple[tuple[str, ...], ...] = ((), ("jupyterhub",), ("basehub", "jupyterhub"))


#: Where ``hub-training init`` reads each hub-file key in a real configuration (and what it uses when
#: the key is absent). The hub profile reference page renders this table.
CONFIG_SOURCES: dict[str, str] = {
    "id": "the cluster file's `name` and the hub's `name`, else the domain",
    "url": "the cluster file's hub `domain`, else `jupyterhub.ingress.hosts[0]`",
    "name": "the cluster file's hub `display_name`, else `custom.homepage.templateVars.org.name`",
    "community": "`custom.homepage.templateVars.org.name`",
    "login.provider": "`hub.config.JupyterHub.authenticator_class` (github, cilogon, google, auth0, "
    "shared-password; any other is `generic`)",
    "login.access": "`GitHubOAuthenticator.allowed_organizations` (organisations and teams), "
    "`CILogonOAuthenticator.allowed_idps`, or `Authenticator.allowed_users`",
    "login.shutdown_on_logout": "`hub.config.JupyterHub.shutdown_on_logout`",
    "interfaces": "`singleuser.defaultUrl` and each profile's and choice's `kubespawner_override.default_url` "
    "(`/lab`, `/tree`, `/rstudio`, `/desktop`)",
    "languages": "not in the configuration: R when the hub offers RStudio, else Python (check it)",
    "profile_list_from": "the values files themselves: `singleuser.profileList` under any of `singleuser`, "
    "`jupyterhub.singleuser`, `basehub.jupyterhub.singleuser`; without one, the one server's "
    "`singleuser.image`, `memory`, `cpu` and `defaultUrl`",
    "server.idle_timeout_minutes": "`cull.timeout` (seconds); absent: the chart's 3600",
    "server.max_age_days": "`cull.maxAge` (seconds); absent or 0: no maximum age",
    "server.start_timeout_minutes": "`singleuser.startTimeout` (seconds); absent: 300 (zero-to-jupyterhub), "
    "600 (2i2c's basehub)",
    "storage.home_dir": "`hub.config.KubeSpawner.working_dir` when it is `/home/rstudio`, else `/home/jovyan`",
    "storage.home_quota_gb": "`jupyterhub-home-nfs.quotaEnforcer.config.QuotaManager.hard_quota`, or "
    "`jupyterhub-home-nfs.quotaEnforcer.hardQuota`",
    "storage.shared_dirs": "`singleuser.storage.extraVolumeMounts` mounted inside the home folder",
    "storage.shared_writable": "those mounts without `readOnly: true`",
    "storage.cloud": "the cluster file's `provider` (aws, gcp, azure), else the bucket addresses",
    "storage.scratch / storage.persistent": "`singleuser.extraEnv.SCRATCH_BUCKET` / `PERSISTENT_BUCKET`, "
    "with `$(JUPYTERHUB_USER)` as `{username}`",
    "github_push.app_url": "`singleuser.extraEnv.GH_SCOPED_CREDS_APP_URL`",
    "dask_gateway": "`dask-gateway.enabled`, or the cluster file's `helm_chart: daskhub`",
    "materials, support": f"not in any configuration: written as `{FILL_IN}`; `hub-training check` names each",
}


class InitError(Exception):
    """The configuration cannot be drafted from; ``problems`` has one located line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Draft:
    """The hub file being written: values in order, and a comment per key saying where it came from."""

    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    def set(self, dotted: str, value: Any, comment: str) -> None:
        self.values[dotted] = value
        self.comments[dotted] = comment


def _section(values: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]] | None:
    for path in HUB_SECTIONS:
        section = dig(values, path)
        if isinstance(section, dict) and any(key in section for key in ("singleuser", "hub", "cull", "ingress")):
            return path, section
    return None


def _cluster_hub(cluster: dict[str, Any] | None, values_names: list[str], hub_name: str | None) -> dict[str, Any]:
    """The cluster file's entry for this hub: by ``--hub`` name, else the one listing these values files."""
    if not cluster:
        return {}
    hubs = [hub for hub in cluster.get("hubs") or [] if isinstance(hub, dict)]
    if hub_name:
        return next((hub for hub in hubs if hub.get("name") == hub_name), {})
    for hub in hubs:
        listed = set(hub.get("helm_chart_values_files") or [])
        if set(values_names) <= listed:
            return hub
    return {}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:63].strip("-") or "hub"


def _env_value(env: Any, name: str) -> str | None:
    """``singleuser.extraEnv`` is a mapping of names to text (or to ``{value: ...}``)."""
    if isinstance(env, dict):
        value = env.get(name)
        if isinstance(value, dict):
            value = value.get("value")
        return value if isinstance(value, str) else None
    if isinstance(env, list):
        for item in env:
            if isinstance(item, dict) and item.get("name") == name and isinstance(item.get("value"), str):
                return item["value"]
    return None


def _number(value: Any) -> int | float | None:
    """A number, also when written as text (``hardQuota: "1"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int | float) and value > 0:
        return int(value) if float(value).is_integer() else value
    return None


def _user_url(value: str) -> str:
    return value.replace("$(JUPYTERHUB_USER)", "{username}").replace("${JUPYTERHUB_USER}", "{username}")


def _interfaces(singleuser: dict[str, Any]) -> list[str]:
    urls = [singleuser.get("defaultUrl")]
    for profile in singleuser.get("profileList") or []:
        if not isinstance(profile, dict):
            continue
        urls.append(dig(profile, ("kubespawner_override", "default_url")))
        for option in (profile.get("profile_options") or {}).values():
            for choice in (dig(option, ("choices",)) or {}).values():
                urls.append(dig(choice, ("kubespawner_override", "default_url")))
    found: list[str] = []
    for url in urls:
        if isinstance(url, str):
            interface = URL_INTERFACES.get(url.strip("/").split("/", 1)[0])
            if interface and interface not in found:
                found.append(interface)
    return found


def _who_may_log_in(config: dict[str, Any], provider: str) -> str | None:
    for authenticator in ("GitHubOAuthenticator", "OAuthenticator", "Authenticator"):
        orgs = dig(config, (authenticator, "allowed_organizations"))
        if orgs:
            return "Members of the GitHub organisations or teams " + _join([str(o) for o in orgs])
    idps = dig(config, ("CILogonOAuthenticator", "allowed_idps"))
    if isinstance(idps, dict) and idps:
        return "People who log in with " + _join([str(i) for i in idps])
    users = dig(config, ("Authenticator", "allowed_users"))
    if users:
        return "The users " + _join([str(u) for u in users])
    if provider == "shared-password":
        return "Anyone with the password your instructor gives you"
    return None


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _shared_dirs(singleuser: dict[str, Any], home: str) -> tuple[list[str], list[str]]:
    """Folders mounted inside the home folder (``storage.extraVolumeMounts``) and the writable ones."""
    shared: list[str] = []
    writable: list[str] = []
    for mount in dig(singleuser, ("storage", "extraVolumeMounts")) or []:
        path = mount.get("mountPath") if isinstance(mount, dict) else None
        if not isinstance(path, str) or not path.startswith(home.rstrip("/") + "/"):
            continue
        name = path[len(home.rstrip("/")) + 1 :].strip("/")
        if name and name not in shared:
            shared.append(name)
            if mount.get("readOnly") is not True:
                writable.append(name)
    return shared, writable


def draft_hub(
    values_files: list[tuple[Path, dict[str, Any]]],
    output: Path,
    cluster: tuple[Path, dict[str, Any]] | None = None,
    hub_name: str | None = None,
) -> str:
    """The hub file's text, with a comment on each value saying where it came from."""
    merged = merge_values(data for _, data in values_files)
    found = _section(merged)
    if found is None:
        tried = ", ".join(".".join((*path, "singleuser")) or "singleuser" for path in HUB_SECTIONS)
        names = ", ".join(str(path) for path, _ in values_files)
        raise InitError([f"{names}: (file): no hub section (tried {tried}); expected zero-to-jupyterhub values files"])
    path, jh = found
    chart_root = dig(merged, path[:-1]) if path else merged
    is_basehub = bool(path)
    defaults = BASEHUB_DEFAULTS if is_basehub else Z2JH_DEFAULTS
    chart_name = "2i2c's basehub chart" if is_basehub else "the zero-to-jupyterhub chart"
    singleuser = jh.get("singleuser") or {}
    config = dig(jh, ("hub", "config")) or {}
    cluster_data = cluster[1] if cluster else None
    entry = _cluster_hub(cluster_data, [p.name for p, _ in values_files], hub_name)
    draft = Draft()

    # Where the hub is and what it is called.
    hosts = dig(jh, ("ingress", "hosts")) or []
    domain = entry.get("domain") or (hosts[0] if hosts and isinstance(hosts[0], str) else None)
    if domain:
        where = "cluster file: domain" if entry.get("domain") else "jupyterhub.ingress.hosts"
        named = bool(entry and cluster_data)
        host_id = f"{cluster_data.get('name')}-{entry.get('name')}" if entry and cluster_data else domain
        draft.set("id", _slug(str(host_id)), "from the cluster and hub names" if named else f"from the {where}")
        draft.set("url", f"https://{domain}", f"from the {where}")
    else:
        draft.set("id", FILL_IN, "not in the configuration: a short slug for the output folder, e.g. my-hub")
        draft.set("url", FILL_IN, "not in the configuration (no cluster domain, no ingress.hosts): https://...")
    org_name = dig(jh, ("custom", "homepage", "templateVars", "org", "name"))
    name = entry.get("display_name") or org_name
    draft.set(
        "name",
        name or FILL_IN,
        "from the cluster file: display_name"
        if entry.get("display_name")
        else ("from custom.homepage.templateVars.org.name" if org_name else "not in the configuration"),
    )
    if org_name:
        draft.set("community", org_name, "from custom.homepage.templateVars.org.name")

    # Login.
    authenticator = dig(config, ("JupyterHub", "authenticator_class"))
    key = str(authenticator).rsplit(".", 1)[-1].lower() if authenticator else ""
    provider = AUTHENTICATORS.get(key, "generic")
    draft.set(
        "login.provider",
        provider,
        f"from hub.config.JupyterHub.authenticator_class: {authenticator}"
        if authenticator
        else "no authenticator_class in the configuration: the chart's default; check it",
    )
    access = _who_may_log_in(config, provider)
    if access:
        draft.set("login.access", access, "from the authenticator's allowed organisations, teams or users")
    if dig(config, ("JupyterHub", "shutdown_on_logout")) is True:
        draft.set("login.shutdown_on_logout", True, "from hub.config.JupyterHub.shutdown_on_logout")

    # Interfaces and languages.
    interfaces = _interfaces(singleuser) or ["notebook" if is_basehub else "lab"]
    draft.set("interfaces", interfaces, "from singleuser.defaultUrl and each choice's default_url")
    languages = ["python", "r"] if "rstudio" in interfaces else ["python"]
    draft.set("languages", languages, "guessed from the interfaces (R with RStudio): check it against your images")

    # Servers: the profile list (or the one server) is read at build time from the same files.
    relative = [os.path.relpath(p.resolve(), output.resolve().parent) for p, _ in values_files]
    draft.set(
        "profile_list_from",
        relative[0] if len(relative) == 1 else relative,
        "the profile list (or the one server) is read from these files at every build",
    )
    timeout = dig(jh, ("cull", "timeout"))
    draft.set(
        "server.idle_timeout_minutes",
        round((timeout if isinstance(timeout, int) else defaults["cull.timeout"]) / 60),
        "from cull.timeout (seconds)"
        if isinstance(timeout, int)
        else f"cull.timeout is not set: {chart_name}'s default, {defaults['cull.timeout']} seconds",
    )
    max_age = dig(jh, ("cull", "maxAge"))
    max_age = max_age if isinstance(max_age, int) else defaults["cull.maxAge"]
    if max_age:
        days = max_age / 86400
        draft.set("server.max_age_days", int(days) if days.is_integer() else round(days, 3), "from cull.maxAge")
    start = singleuser.get("startTimeout")
    start = start if isinstance(start, int) else defaults["singleuser.startTimeout"]
    draft.set(
        "server.start_timeout_minutes",
        max(1, round(start / 60)),
        "from singleuser.startTimeout (seconds)"
        if isinstance(singleuser.get("startTimeout"), int)
        else f"singleuser.startTimeout is not set: {chart_name}'s default, {start} seconds",
    )

    # Storage.
    home = "/home/rstudio" if dig(config, ("KubeSpawner", "working_dir")) == "/home/rstudio" else "/home/jovyan"
    draft.set("storage.home_dir", home, "from hub.config.KubeSpawner.working_dir, else /home/jovyan")
    enforcer = dig(chart_root, ("jupyterhub-home-nfs", "quotaEnforcer"))
    quota = _number(dig(enforcer, ("config", "QuotaManager", "hard_quota"))) or _number(dig(enforcer, ("hardQuota",)))
    if quota:
        draft.set("storage.home_quota_gb", quota, "from jupyterhub-home-nfs.quotaEnforcer (hard quota, GB)")
    shared, writable = _shared_dirs(singleuser, home)
    if shared:
        draft.set("storage.shared_dirs", shared, "from singleuser.storage.extraVolumeMounts inside the home folder")
        draft.set("storage.shared_writable", writable, "the mounts without readOnly: true")
    env = singleuser.get("extraEnv")
    buckets = {name: _env_value(env, name) for name in ("SCRATCH_BUCKET", "PERSISTENT_BUCKET") if _env_value(env, name)}
    provider_cloud = PROVIDER_CLOUDS.get(str((cluster_data or {}).get("provider", "")))
    bucket_cloud = next(
        (SCHEME_CLOUDS.get(url.split("://", 1)[0]) for url in buckets.values() if url and "://" in url), None
    )
    cloud = provider_cloud or bucket_cloud
    draft.set(
        "storage.cloud",
        cloud or "none",
        "from the cluster file: provider"
        if provider_cloud
        else ("from the bucket addresses" if bucket_cloud else "not in the configuration: aws, gcp or azure"),
    )
    for env_name, url in buckets.items():
        which = "scratch" if env_name == "SCRATCH_BUCKET" else "persistent"
        draft.set(
            f"storage.{which}",
            {"env": env_name, "url": _user_url(str(url))},
            f"from singleuser.extraEnv.{env_name}; $(JUPYTERHUB_USER) is {{username}}",
        )

    # What the configuration never says.
    draft.set("materials.repo", FILL_IN, "not in the configuration: the git repository of your training materials")
    draft.set("materials.branch", "main", "the usual branch name: check it")
    draft.set("support.name", FILL_IN, "not in the configuration: where users ask for help, e.g. #hub-help on Slack")
    draft.set("support.url", FILL_IN, "not in the configuration: a link to that channel (or use support.email)")

    app_url = _env_value(env, "GH_SCOPED_CREDS_APP_URL")
    if app_url:
        draft.set("github_push.app_url", app_url, "from singleuser.extraEnv.GH_SCOPED_CREDS_APP_URL")
    dask = dig(chart_root, ("dask-gateway", "enabled")) is True or entry.get("helm_chart") == "daskhub"
    draft.set("dask_gateway", dask, "from dask-gateway.enabled or the daskhub chart")

    sources = ", ".join(str(p) for p, _ in values_files) + (f" and {cluster[0]}" if cluster else "")
    return render(draft, f"Drafted by hub-training init from {sources}.")


def render(draft: Draft, header: str) -> str:
    """YAML text: nested keys in the order they were set, each leaf with its comment."""
    lines = [f"# {header}", f"# Values marked {FILL_IN} could not be read: `hub-training check` lists them."]
    written: list[str] = []
    for dotted, value in draft.values.items():
        parts = dotted.split(".")
        for depth in range(len(parts) - 1):
            prefix = ".".join(parts[: depth + 1])
            if prefix not in written:
                lines.append("  " * depth + f"{parts[depth]}:")
                written.append(prefix)
        indent = "  " * (len(parts) - 1)
        comment = f"  # {draft.comments[dotted]}"
        if isinstance(value, dict):
            lines.append(f"{indent}{parts[-1]}:{comment}")
            lines += [f"{indent}  {key}: {_scalar(item)}" for key, item in value.items()]
        else:
            lines.append(f"{indent}{parts[-1]}: {_scalar(value)}{comment}")
    return "\n".join(lines) + "\n"


def _scalar(value: Any) -> str:
    """One YAML flow value: lists inline, text quoted as JSON (valid YAML) when plain would be wrong."""
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    if isinstance(value, int | float):  # bool too
        return json.dumps(value)
    text = str(value)
    if text == FILL_IN:  # quoted, so that whatever is typed between the quotes stays text
        return json.dumps(text)
    plain = yaml.safe_dump(text, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()
    return plain if plain == text else json.dumps(text, ensure_ascii=False)


def unset_values(text: str) -> list[tuple[str, int]]:
    """``(dotted key, line)`` of every value still :data:`FILL_IN` in a hub file's text."""
    if FILL_IN not in text:  # the usual case, and parsing YAML again is a good part of loading a hub
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    found: list[tuple[str, int]] = []

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]")
        elif isinstance(node, yaml.ScalarNode) and node.value == FILL_IN:
            found.append((path, node.start_mark.line + 1))

    if root is not None:
        walk(root, "")
    return found
