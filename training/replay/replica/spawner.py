"""KubeSpawner's Server Options form and profile logic on a local process (no Kubernetes).

The form users see on a Kubernetes hub is rendered by KubeSpawner from ``profile_list``; the user's
choices are parsed, validated and applied by KubeSpawner too. This spawner borrows exactly those
functions (so the replica shows and applies the real thing) and starts ``jupyterhub-singleuser`` as a
local process instead of a pod. Overrides that only make sense on Kubernetes (node selectors,
tolerations, volumes...) are recorded and ignored; ``image`` becomes ``JUPYTER_IMAGE`` /
``JUPYTER_IMAGE_SPEC`` as KubeSpawner sets them, so a terminal shows which image was chosen.
It works without Kubernetes because KubeSpawner's form and option handling only read the profile
list; nothing there talks to a cluster until ``start()``, which this class replaces.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.traitlets import Callable
from kubespawner import KubeSpawner
from traitlets import Dict, List, Set, Unicode, Union, default

#: Spawner traits a profile may override that mean the same on a local process.
LOCAL_TRAITS = {
    "environment",
    "default_url",
    "mem_limit",
    "mem_guarantee",
    "cpu_limit",
    "cpu_guarantee",
    "start_timeout",
    "http_timeout",
}

#: ``default_url`` values the replica can serve (others, e.g. ``/rstudio``, are reported and ignored).
LOCAL_URL_PREFIXES = ("/lab", "/tree", "/notebooks")


async def _apply_user_options(spawner: LocalProfileSpawner, user_options: dict[str, Any]) -> None:
    # JupyterHub >= 5.3 hook: KubeSpawner applies user_options in load_user_options().
    await spawner.load_user_options()


def _allowed_profiles(spawner: LocalProfileSpawner) -> list[dict[str, Any]]:
    """The profiles and choices this user may pick: 2i2c's ``allowed_groups``/``allowed_teams`` filter,
    on profiles and on each option's choices (the order of what is left is kept)."""
    groups = {group.name for group in spawner.user.groups}

    def allowed(item: dict[str, Any]) -> bool:
        names = {*(item.get("allowed_groups") or []), *(item.get("allowed_teams") or [])}
        return not names or bool(names & groups)

    profiles = []
    for profile in spawner.replica_profiles:
        if not allowed(profile):
            continue
        profile = copy.deepcopy(profile)
        for option in (profile.get("profile_options") or {}).values():
            if isinstance(option.get("choices"), dict):
                option["choices"] = {key: c for key, c in option["choices"].items() if allowed(c)}
        profiles.append(profile)
    return profiles


class LocalProfileSpawner(SimpleLocalProcessSpawner):
    """SimpleLocalProcessSpawner + KubeSpawner's profile_list form, parsing, validation and overrides."""

    replica_profiles = List(Dict(), config=True, help="The hub profile's profile_list (KubeSpawner structure).")
    profile_list = Union([List(Dict()), Callable()], config=True, help="As KubeSpawner.profile_list.")
    profile_form_template = Unicode("", config=True, help="As KubeSpawner.profile_form_template.")
    additional_profile_form_template_paths = List(Unicode(), config=True, help="As KubeSpawner's.")
    image = Unicode("", help="The image the chosen profile names (only shown to the user, never pulled).")
    ignored_overrides = Set(help="kubespawner_override keys that have no meaning on a local process.")
    replica_jupyter_dir = Unicode("", config=True, help="Per-replica folder for each user's Jupyter config.")
    replica_jupyter_seed = Unicode("", config=True, help="Folder copied into each user's Jupyter config.")

    # KubeSpawner's own functions, so that the form and its parsing are the real ones.
    _render_options_form = KubeSpawner._render_options_form
    _render_options_form_dynamically = KubeSpawner._render_options_form_dynamically
    _options_from_form = KubeSpawner._options_from_form
    _validate_user_options = KubeSpawner._validate_user_options
    _get_profile = KubeSpawner._get_profile
    _load_profile = KubeSpawner._load_profile
    _get_initialized_profile_list = KubeSpawner._get_initialized_profile_list
    _sorted_dict_values = KubeSpawner._sorted_dict_values
    load_user_options = KubeSpawner.load_user_options

    @default("profile_list")
    def _profile_list_default(self) -> Any:
        return _allowed_profiles if self.replica_profiles else []

    @default("options_form")
    def _options_form_default(self) -> Any:
        return KubeSpawner._options_form_default(self)

    @default("options_from_form")
    def _options_from_form_default(self) -> Any:
        return self._options_from_form

    @default("apply_user_options")
    def _apply_user_options_default(self) -> Any:
        return _apply_user_options

    def _apply_overrides(self, spawner_override: dict[str, Any]) -> None:
        for key, value in spawner_override.items():
            if callable(value):
                value = value(self)
            if key == "image":
                self.image = str(value)
            elif key == "default_url" and not str(value).startswith(LOCAL_URL_PREFIXES):
                self.ignored_overrides = {*self.ignored_overrides, f"default_url={value}"}
            elif key in LOCAL_TRAITS:
                current = getattr(self, key)
                if isinstance(value, dict) and isinstance(current, dict):
                    setattr(self, key, {**current, **copy.deepcopy(value)})
                else:
                    setattr(self, key, value)
            else:
                self.ignored_overrides = {*self.ignored_overrides, key}
        if self.ignored_overrides:
            self.log.info("Replica ignores Kubernetes-only overrides: %s", ", ".join(sorted(self.ignored_overrides)))

    def _user_jupyter_dir(self) -> Path:
        return Path(self.replica_jupyter_dir) / self.user.name

    def get_env(self) -> dict[str, str]:
        env = super().get_env()
        if self.image:
            env["JUPYTER_IMAGE"] = env["JUPYTER_IMAGE_SPEC"] = self.image
        if self.replica_jupyter_dir:
            # Per-user config outside the home folder, so the home folder stays as empty as on a real hub.
            base = self._user_jupyter_dir()
            env["JUPYTER_CONFIG_DIR"] = str(base / "config")
            env["JUPYTERLAB_SETTINGS_DIR"] = str(base / "lab-settings")
            env["JUPYTERLAB_WORKSPACES_DIR"] = str(base / "workspaces")
            env["JUPYTER_RUNTIME_DIR"] = str(base / "runtime")
        env["HUB_TRAINING_PROFILE"] = json.dumps(self.user_options or {}, sort_keys=True)
        return env

    async def start(self) -> Any:
        if self.replica_jupyter_dir and self.replica_jupyter_seed:
            base = self._user_jupyter_dir()
            if not base.exists():
                import shutil

                shutil.copytree(self.replica_jupyter_seed, base)
        return await super().start()
