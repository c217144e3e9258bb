"""nbgitpuller links: pure functions, shared by the site, the materials README and the workshop tools.

Hand-written nbgitpuller links break in three known ways: a wrong branch, a ``urlpath``
without the clone folder, and double or HTML-escaped encoding. Here the branch is always explicit,
the clone folder is derived from the repository URL, and every parameter is percent-encoded exactly
once. Parameter order follows nbgitpuller's own link generator (``repo``, ``urlpath``, ``branch``).

Why ``targetpath`` sometimes: nbgitpuller (1.3.0 and earlier) clones into the repository URL's last
segment *with* its ``.git`` suffix (jupyterhub/nbgitpuller#205), so ``urlpath`` would point at a
folder that does not exist. When nbgitpuller's default differs from :func:`clone_dir`, the link names
the folder explicitly with ``targetpath``, which every nbgitpuller since 0.9 honours.

Encoding: every character outside RFC 3986's unreserved set (``A-Z a-z 0-9 - . _ ~``) is
percent-encoded as UTF-8, a space as ``%20``. In JavaScript that is ``encodeURIComponent`` plus
``!'()*``; ``tests/data/nbgitpuller_cases.json`` is the shared table both must agree with.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote, urlsplit

#: Interfaces an nbgitpuller link can open (VS Code has no path-based URL nbgitpuller can redirect to).
LinkInterface = Literal["lab", "notebook", "rstudio"]
LINK_INTERFACES: tuple[LinkInterface, ...] = ("lab", "notebook", "rstudio")

#: How each interface is named in link text.
INTERFACE_NAMES: dict[str, str] = {"lab": "JupyterLab", "notebook": "Jupyter Notebook", "rstudio": "RStudio"}


def clone_dir(repo_url: str) -> str:
    """The folder ``git clone repo_url`` creates: the last path segment without ``.git``.

    Works for https URLs (GitHub, GitLab subgroups, self-hosted with a port), ``file://`` URLs,
    plain paths and scp-like ``git@host:org/repo.git``.
    """
    if "://" in repo_url:
        path = urlsplit(repo_url).path
    else:
        path = repo_url.rsplit(":", 1)[-1] if "@" in repo_url.split("/", 1)[0] else repo_url
    path = path.rstrip("/")
    path = path.removesuffix("/.git").rstrip("/")
    name = path.rsplit("/", 1)[-1].removesuffix(".git")
    if not name or name in {".", ".."}:
        raise ValueError(f"cannot derive a clone folder from the repository {repo_url!r}")
    return name


def _nbgitpuller_default_dir(repo_url: str) -> str:
    """The folder nbgitpuller 1.3.0 clones into when no ``targetpath`` is given (handlers.py)."""
    return repo_url.rstrip("/").split("/")[-1]


def _encode(value: str) -> str:
    return quote(value, safe="")


def _clean_path(path: str) -> str:
    """A relative POSIX path inside the repository; refuse anything that could leave it."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in {"", "."}]
    if ".." in parts:
        raise ValueError(f"the path {path!r} leaves the repository ('..')")
    return "/".join(parts)


def urlpath_for(repo: str, path: str, interface: str) -> str:
    """Where the hub sends the learner after the pull (nbgitpuller's ``urlpath``), not yet encoded."""
    if interface == "rstudio":
        return "rstudio/"  # RStudio cannot open one file from a URL; it opens its Files pane.
    target = "/".join(p for p in (clone_dir(repo), _clean_path(path)) if p)
    if interface == "lab":
        return f"lab/tree/{target}"
    if interface == "notebook":
        return f"tree/{target}"  # Notebook 7 (and classic) open a notebook given its tree URL
    raise ValueError(f"unknown interface {interface!r}; expected one of: {', '.join(LINK_INTERFACES)}")


def nbgitpuller_url(hub_url: str, repo: str, branch: str, path: str, interface: str) -> str:
    """The link that pulls ``repo`` at ``branch`` into the learner's home and opens ``path``.

    ``path`` is relative to the repository root; empty opens the repository's folder.
    """
    if not branch:
        raise ValueError("the branch must be explicit: nbgitpuller's default branch is not the repository's")
    params = [("repo", repo), ("urlpath", urlpath_for(repo, path, interface)), ("branch", branch)]
    folder = clone_dir(repo)
    if folder != _nbgitpuller_default_dir(repo):
        params.append(("targetpath", folder))
    query = "&".join(f"{name}={_encode(value)}" for name, value in params)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def pull_all_url(hub_url: str, repo: str, branch: str, interface: str) -> str:
    """One link for everything: pull the whole repository and open its folder (workshops)."""
    return nbgitpuller_url(hub_url, repo, branch, "", interface)
