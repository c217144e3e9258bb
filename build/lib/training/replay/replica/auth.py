"""A login page like an OAuth hub's, without an identity provider.

OAuthenticator (GitHub, CILogon, Google, Auth0, generic OAuth) sets ``login_service``, and
JupyterHub's stock login page then shows one button, "Sign in with <service>", that goes to
``/hub/oauth_login``. This authenticator does the same; its ``/hub/oauth_login`` stands in for the
round trip to the provider and logs in the replica's test user at once. The page users see before
and after the provider is JupyterHub's own.
"""

from __future__ import annotations

from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from jupyterhub.utils import url_path_join
from traitlets import Unicode

#: ``login_service`` as each OAuthenticator class sets it by default.
LOGIN_SERVICES = {
    "github": "GitHub",
    "cilogon": "CILogon",
    "google": "Google",
    "auth0": "Auth0",
    "generic": "OAuth 2.0",
}

_FROM_PROVIDER = object()  # only our handler can pass this; a form POST to /hub/login cannot


class ReplicaOAuthLoginHandler(BaseHandler):
    """``/hub/oauth_login``: the provider said yes; log the test user in and go where they were going."""

    async def get(self) -> None:
        user = await self.login_user({"username": self.authenticator.test_user, "via": _FROM_PROVIDER})
        if user is None:
            raise RuntimeError("the replica authenticator refused its own test user")
        self.redirect(self.get_next_url(user))


class ReplicaOAuthenticator(Authenticator):
    """JupyterHub's "Sign in with <service>" login page; clicking it logs in ``test_user``."""

    test_user = Unicode("researcher", config=True, help="The user the button logs in.")
    login_service = Unicode("OAuth 2.0", config=True, help="The provider's name on the button.")

    def login_url(self, base_url: str) -> str:
        return url_path_join(base_url, "oauth_login")

    def get_handlers(self, app: Any) -> list[tuple[str, type]]:
        return [("/oauth_login", ReplicaOAuthLoginHandler)]

    async def authenticate(self, handler: Any, data: dict[str, Any]) -> str | None:
        if data and data.get("via") is _FROM_PROVIDER:
            return data["username"]
        return None
