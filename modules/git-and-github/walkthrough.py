"""Git from the hub's terminal: set your name, then clone, commit and push.

The replica has no way out to github.com, so the push goes to a practice remote in /tmp, with the
same commands as with GitHub (only the address differs; the module says so next to the picture).
The GitHub web pages of the device flow and of the token settings cannot be replayed here: those
steps are listed as skipped, and the module marks them ``not-replayed: github.com``. RStudio's
Terminal tab is not installable here either (``not-replayed: rstudio``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import training.walkthrough as w

#: The practice remote (what a new GitHub repository with a README is to a learner).
PRACTICE = Path("/tmp/hub-training-practice")
REMOTE = PRACTICE / "my-analysis.git"


def _create_practice_remote(run: w.Run) -> None:
    """GitHub's part, done outside the browser: a bare repository whose main branch has a README."""
    shutil.rmtree(PRACTICE, ignore_errors=True)
    seed = PRACTICE / "seed"
    seed.mkdir(parents=True)
    identity = ["-c", "user.name=GitHub", "-c", "user.email=noreply@github.com"]

    def git(*args: str) -> None:
        subprocess.run(["git", *args], check=True, capture_output=True)

    git("init", "-q", "--initial-branch=main", str(seed))
    (seed / "README.md").write_text("# My analysis\n")
    git("-C", str(seed), "add", "README.md")
    git("-C", str(seed), *identity, "commit", "-qm", "Initial commit")
    git("clone", "-q", "--bare", str(seed), str(REMOTE))


def _not_replayed(reason: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        raise w.Skip(reason)

    return action


NO_GITHUB = "github.com cannot be reached from the replica"
NO_RSTUDIO = "RStudio is not installed in the replica"

WALKTHROUGH = w.Walkthrough(
    "Git in the terminal: your name, clone, commit, push",
    *w.into_jupyterlab(),
    w.open_terminal(),
    w.run_in_terminal('git config --global user.name "Ada Lovelace"'),
    w.run_in_terminal('git config --global user.email "ada@users.noreply.github.com"'),
    w.run_in_terminal("git config --global --list", expect="user.email=ada@users.noreply.github.com"),
    w.do("GitHub's part: a repository with a README", _create_practice_remote),
    w.run_in_terminal("mkdir -p ~/projects && cd ~/projects"),
    w.run_in_terminal(f"git clone file://{REMOTE}", expect="Cloning into 'my-analysis'"),
    w.run_in_terminal("cd my-analysis && echo 'First result' > notes.md"),
    w.run_in_terminal("git add notes.md"),
    w.run_in_terminal('git commit -m "Add my first notes"', expect="1 file changed"),
    w.run_in_terminal("git push", expect="main -> main"),
    w.screenshot(
        "git-terminal",
        "A terminal on the hub: git config sets your name and email, then git clone, git add, git commit "
        "and git push, which ends with main -> main",
        crop=".jp-Terminal:visible",
    ),
    w.do("gh-scoped-creds: enter the code at github.com", _not_replayed(NO_GITHUB), requires=["github-push"]),
    w.do("install the hub's GitHub app on a repository", _not_replayed(NO_GITHUB), requires=["github-push"]),
    w.do("create a fine-grained personal access token on GitHub", _not_replayed(NO_GITHUB)),
    w.do("RStudio: the same commands in the Terminal tab", _not_replayed(NO_RSTUDIO), requires=["rstudio"]),
)
