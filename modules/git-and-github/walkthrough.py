"""Git from the hub's terminal: set your name, then clone, commit and push.

The replica has no way out to github.com, so the push goes to a practice remote in /tmp, with the
same commands as with GitHub (only the address differs; the module says so next to the picture).
The GitHub web pages of the device flow and of the token settings cannot be replayed here: those
steps are listed as skipped, and the module marks them ``not-replayed: github.com``. RStudio's
Terminal tab is not installable here either (``not-replayed: rstudio``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import training.replay.walkthrough as w

#: The practice remote (what a new GitHub repository with a README is to a learner).
PRACTICE = Path("/tmp/hub-training-practice")
REMOTE = PRACTICE / "my-analysis.git"

#: A fixed clock for every commit, so commit ids (shown in the picture) are the same in every run.
FIXED_DATES = {"GIT_AUTHOR_DATE": "2026-01-15T10:00:00+0000", "GIT_COMMITTER_DATE": "2026-01-15T10:00:00+0000"}
#: git prints "Delta compression using up to N threads" with N = the machine's cores: pin it. Set
#: through the environment, so it does not show in ``git config --global --list``.
FIXED_THREADS = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "pack.threads", "GIT_CONFIG_VALUE_0": "2"}
#: ``git push`` prints its transfer rate (bytes per elapsed millisecond): a frozen clock
#: (Debian's libfaketime) makes it the same in every run. Without the library the rate may vary.
FAKETIME_LIBRARY = next(iter(sorted(Path("/usr/lib").glob("*/faketime/libfaketime.so.1"))), None)
FROZEN_CLOCK = {"LD_PRELOAD": str(FAKETIME_LIBRARY), "FAKETIME": "2026-01-15 10:00:00"} if FAKETIME_LIBRARY else {}
STEADY_GIT = " ".join(f"{key}='{value}'" for key, value in {**FIXED_DATES, **FIXED_THREADS}.items())
FROZEN_GIT = " ".join(f"{key}='{value}'" for key, value in FROZEN_CLOCK.items())


def _create_practice_remote(run: w.Run) -> None:
    """GitHub's part, done outside the browser: a bare repository whose main branch has a README."""
    shutil.rmtree(PRACTICE, ignore_errors=True)
    seed = PRACTICE / "seed"
    seed.mkdir(parents=True)
    identity = ["-c", "user.name=GitHub", "-c", "user.email=noreply@github.com"]

    def git(*args: str) -> None:
        subprocess.run(["git", *args], check=True, capture_output=True, env={**os.environ, **FIXED_DATES})

    git("init", "-q", "--initial-branch=main", str(seed))
    (seed / "README.md").write_text("# My analysis\n")
    git("-C", str(seed), "add", "README.md")
    git("-C", str(seed), *identity, "commit", "-qm", "Initial commit")
    git("clone", "-q", "--bare", str(seed), str(REMOTE))


NO_GITHUB = "github.com cannot be reached from the replica"
OPEN_HUB, *STARTING = w.into_jupyterlab()

WALKTHROUGH = w.Walkthrough(
    "Git in the terminal: your name, clone, commit, push",
    w.say("Open {{ hub.url }}, log in and start your server: JupyterLab opens.", OPEN_HUB),
    *STARTING,
    w.say("In the Launcher, click Terminal under Other. A terminal opens in your home folder.", w.open_terminal()),
    # Not taught: a steady clock and thread count, so the picture is the same in every run.
    w.off_camera(w.run_in_terminal(f"export {STEADY_GIT}")),
    *([w.off_camera(w.run_in_terminal(f'alias git="{FROZEN_GIT} git"'))] if FROZEN_GIT else []),
    w.off_camera(w.run_in_terminal("clear")),
    w.do("GitHub's part: a repository with a README", _create_practice_remote),
    w.say(
        "Clone your repository into a folder of its own, for example ~/projects, with git clone.",
        w.run_in_terminal("mkdir -p ~/projects && cd ~/projects"),
    ),
    w.run_in_terminal(f"git clone file://{REMOTE}", expect="Cloning into 'my-analysis'"),
    # git prints the remote's "Total" line and its own "Receiving objects" line in either order (a
    # race between two processes), so the picture starts after the clone.
    w.say(
        "Tell git who you are, once: your name and email with git config, then check them with --list.",
        w.run_in_terminal("clear"),
    ),
    w.run_in_terminal('git config --global user.name "Ada Lovelace"'),
    w.run_in_terminal('git config --global user.email "ada@users.noreply.github.com"'),
    w.run_in_terminal("git config --global --list", expect="user.email=ada@users.noreply.github.com"),
    w.say(
        "Go into the repository and change a file. Record the change with git add and git commit.",
        w.run_in_terminal("cd my-analysis && echo 'First result' > notes.md"),
    ),
    w.run_in_terminal("git add notes.md"),
    w.run_in_terminal('git commit -m "Add my first notes"', expect="1 file changed"),
    w.say(
        "git push sends your commits. It ends with main -> main.",
        w.run_in_terminal("git push", expect="main -> main"),
    ),
    w.screenshot(
        "git-terminal",
        "A terminal on the hub, in a cloned repository: git config sets your name and email, then "
        "git add, git commit and git push, which ends with main -> main",
        crop=".jp-Terminal:visible",
        trim=True,
    ),
    w.not_replayed("gh-scoped-creds: enter the code at github.com", NO_GITHUB, requires=["github-push"]),
    w.not_replayed("install the hub's GitHub app on a repository", NO_GITHUB, requires=["github-push"]),
    w.not_replayed("create a fine-grained personal access token on GitHub", NO_GITHUB),
    w.not_replayed("RStudio: the same commands in the Terminal tab", requires=["rstudio"]),
)
