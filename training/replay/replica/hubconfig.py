"""The replica's ``jupyterhub_config.py``: it only calls :func:`configure` with the settings file.

Kept as importable code (not generated text) so that it is linted and read like the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def configure(c: Any, settings_file: str) -> None:
    """Fill JupyterHub's config object ``c`` from the JSON that :class:`training.replay.replica.Replica` wrote."""
    s = json.loads(Path(settings_file).read_text())
    state = Path(s["state_dir"])

    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.port = s["port"]
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = s["hub_port"]
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.log_level = "INFO"
    c.JupyterHub.shutdown_on_logout = s["shutdown_on_logout"]
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True

    c.ConfigurableHTTPProxy.command = s["proxy_command"]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_api_port']}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    # Login: JupyterHub's own login page, as the hub's provider shows it.
    c.Authenticator.allow_all = True
    if s["provider"] == "shared-password":
        c.JupyterHub.authenticator_class = "shared-password"
        c.SharedPasswordAuthenticator.user_password = s["password"]
    else:
        from training.replay.replica.auth import ReplicaOAuthenticator

        c.JupyterHub.authenticator_class = ReplicaOAuthenticator
        c.ReplicaOAuthenticator.login_service = s["login_service"]
        c.ReplicaOAuthenticator.test_user = s["username"]
    c.JupyterHub.load_groups = {group: {"users": [s["username"]]} for group in s["groups"]}

    # A service token the replica uses to stop servers and read their state.
    c.JupyterHub.services = [{"name": "hub-training-replica", "api_token": s["api_token"]}]
    c.JupyterHub.load_roles = [
        {
            "name": "hub-training-replica",
            "scopes": ["admin:users", "admin:servers", "admin:groups", "list:users", "read:users"],
            "services": ["hub-training-replica"],
        }
    ]

    # Servers: the current venv's jupyterhub-singleuser, KubeSpawner's form and profile logic.
    from training.replay.replica.spawner import LocalProfileSpawner

    c.JupyterHub.spawner_class = LocalProfileSpawner
    c.LocalProfileSpawner.home_dir_template = str(state / "homes" / "{username}")
    c.LocalProfileSpawner.replica_profiles = s["profile_list"]
    c.LocalProfileSpawner.replica_jupyter_dir = str(state / "jupyter")
    c.LocalProfileSpawner.replica_jupyter_seed = str(state / "jupyter-seed")
    c.Spawner.cmd = [s["singleuser"]]
    c.Spawner.args = ["--allow-root"]
    c.Spawner.default_url = "/lab"
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 90
    c.Spawner.environment = s["environment"]
    if s["form"] == "fancy":
        import jupyterhub_fancy_profiles

        # Not setup_ui(c): it sets c.KubeSpawner.*, which does not reach this class.
        c.LocalProfileSpawner.additional_profile_form_template_paths = jupyterhub_fancy_profiles.TEMPLATE_PATHS
        c.JupyterHub.extra_handlers = [jupyterhub_fancy_profiles.STATIC_HANDLER_TUPLE]
