"""Read users and servers from a JupyterHub's REST API, with a read-only token.

Only GET requests; the token goes in the ``Authorization`` header and nowhere else (never in a
message, a URL or a file). Every failure is a :class:`ReportError` with one line that says what is
wrong and what is expected.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from training.model.onboarding import ServerRecord, UserRecord

#: The scopes the report needs, and why (shown in the command's help and the docs).
REQUIRED_SCOPES = {
    "list:users": "list the hub's users",
    "read:users": "when each user was created and last active",
    "read:servers": "each server's start time, last activity and Server Options (user_options)",
}
PAGE_SIZE = 200


class ReportError(Exception):
    """The report cannot be made; the message is one line for the person running the command."""


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


class HubAPI:
    """GET requests to ``api_url`` (``https://hub.example.org/hub/api``) with a token."""

    def __init__(self, api_url: str, token: str, token_name: str, timeout: float = 20):
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.token_name = token_name
        self.timeout = timeout

    def get(self, path: str, query: dict[str, Any] | None = None, *, auth: bool = True) -> Any:
        url = f"{self.api_url}/{path.lstrip('/')}" + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": "application/jupyterhub-pagination+json, application/json"}
        if auth:
            headers["Authorization"] = f"token {self._token}"
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as exc:
            if exc.code in {401, 403}:
                raise ReportError(
                    f"the hub at {self.api_url} refused the token in ${self.token_name} (HTTP {exc.code}) for "
                    f"GET /{path.lstrip('/')}; expected a valid token with the scopes {', '.join(REQUIRED_SCOPES)}"
                ) from None
            raise ReportError(
                f"the hub at {self.api_url} answered HTTP {exc.code} to GET /{path.lstrip('/')}; "
                "expected a JupyterHub REST API (check the hub's url or --api-url)"
            ) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ReportError(
                f"no hub answers at {self.api_url} ({reason}); expected a running JupyterHub "
                "(check the hub's url or --api-url)"
            ) from None
        try:
            return json.loads(body) if body else None
        except ValueError:
            raise ReportError(
                f"{self.api_url}/{path.lstrip('/')} did not answer JSON; expected a JupyterHub REST API "
                "(check the hub's url or --api-url)"
            ) from None

    def check(self) -> None:
        """The hub answers, the token is valid and has every scope the report needs."""
        info = self.get("", auth=False)
        if not isinstance(info, dict) or "version" not in info:
            raise ReportError(f"{self.api_url} is not a JupyterHub REST API; expected it to answer with its version")
        whoami = self.get("user")
        scopes = set(whoami.get("scopes", [])) if isinstance(whoami, dict) else set()
        missing = [scope for scope in REQUIRED_SCOPES if scope not in scopes]
        if missing:
            raise ReportError(
                f"the token in ${self.token_name} lacks the scope(s) {', '.join(missing)}; expected a token whose "
                f"role has {', '.join(REQUIRED_SCOPES)}"
            )

    def users(self) -> list[UserRecord]:
        """Every user with their servers, stopped ones included (page by page)."""
        records: list[UserRecord] = []
        offset = 0
        while True:
            page = self.get("users", {"include_stopped_servers": "1", "offset": offset, "limit": PAGE_SIZE})
            items = page.get("items", []) if isinstance(page, dict) else page
            if not isinstance(items, list):
                raise ReportError(
                    f"{self.api_url}/users did not answer a list of users; expected JupyterHub 2 or newer"
                )
            records += [self._user(model) for model in items]
            following = page.get("_pagination", {}).get("next") if isinstance(page, dict) else None
            if not following or not items:
                return records
            offset = int(following.get("offset", offset + len(items)))

    def _user(self, model: dict[str, Any]) -> UserRecord:
        if "servers" not in model:
            raise ReportError(
                f"the hub did not include servers in the users it listed; the token in ${self.token_name} "
                "needs the scope read:servers"
            )
        name = str(model["name"])
        servers = tuple(
            ServerRecord(
                user=name,
                name=str(server_name),
                active=bool(server.get("ready") or server.get("pending")),
                started=_time(server.get("started")),
                last_activity=_time(server.get("last_activity")),
                user_options=dict(server.get("user_options") or {}),
            )
            for server_name, server in (model.get("servers") or {}).items()
        )
        return UserRecord(name, _time(model.get("created")), _time(model.get("last_activity")), servers)
