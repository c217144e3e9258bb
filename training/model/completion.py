"""Completion stamps: the small file an exercise's last cell writes when the learner has done it.

When a hub file sets ``report.enabled``, every exercise of the materials repository ends with a
check (a notebook cell, or a block at the end of an R script). It verifies what can be verified on
the learner's own server (a file the exercise makes exists, the object it writes to the bucket is
there, the server runs on the hub) and, when every check passes, writes::

    ~/.hub-training/completed/<module-id>.json
    {"format": 1, "module": "...", "exercise": "...", "completed_at": "2026-11-20T10:15:00+00:00",
     "checks": {"on_hub": true, ...}, "server": {"image": "...", "cpu_limit": "...", "mem_limit": "..."}}

The stamp holds no name: it lives in the learner's home, which already says whose it is. Learners
can read and delete it. ``hub-training report`` reads stamps with :func:`parse_stamp`.

This module is pure: it makes the check code (text) and parses stamps (text); it writes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from training.model.hub_profile import HubProfile

#: Where a stamp lives, relative to the learner's home folder.
STAMP_FOLDER = ".hub-training/completed"
STAMP_FORMAT = 1
#: What the server tells about itself: KubeSpawner sets the image, JupyterHub the limits.
SERVER_VARIABLES = {"image": "JUPYTER_IMAGE", "cpu_limit": "CPU_LIMIT", "mem_limit": "MEM_LIMIT"}
MODULE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CHECK_NAME = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Check:
    """One thing an exercise leaves behind that the check cell can verify."""

    name: str
    kind: Literal["file", "bucket_object"]
    target: str  # a path relative to the home folder, or a key under the learner's bucket prefix
    hint: str  # what to do when it fails, in the exercise's words


#: The module-specific checks (every stamp also checks ``on_hub``). Modules not listed are checked
#: for ``on_hub`` only: their exercises show things, or clean up after themselves (``your-files``
#: deletes its practice folder), so nothing is left that could be verified.
MODULE_CHECKS: dict[str, tuple[Check, ...]] = {
    "getting-materials": (
        Check("materials_folder", "file", "{materials.clone_dir}", "open the materials with an Open in hub button"),
    ),
    "stopping-your-server": (
        Check("file_in_home", "file", "what-survives.txt", "run the first cell of this notebook"),
    ),
    "cloud-data": (
        Check("bucket_object", "bucket_object", "hub-training/hello.txt", "run the cell that writes hello.txt"),
    ),
}


def checks_for(module_id: str, hub: HubProfile) -> list[Check]:
    """The checks of a module on this hub (hub values filled into targets; bucket checks need a bucket)."""
    values = {"materials.clone_dir": hub.values()["materials"]["clone_dir"]}
    found = []
    for check in MODULE_CHECKS.get(module_id, ()):
        if check.kind == "bucket_object" and bucket_variable(hub) is None:
            continue
        target = check.target
        for key, value in values.items():
            target = target.replace("{" + key + "}", value)
        found.append(Check(check.name, check.kind, target, check.hint))
    return found


def bucket_variable(hub: HubProfile) -> str | None:
    """The environment variable of the learner's bucket prefix (scratch first), if the hub has one."""
    bucket = hub.storage.scratch or hub.storage.persistent
    return bucket.env if bucket else None


def stamp_path(module_id: str) -> str:
    return f"{STAMP_FOLDER}/{module_id}.json"


def _intro(module_title: str, module_id: str) -> str:
    return (
        f"Check your work and record that you finished “{module_title}”. If every check passes, this "
        f"writes the small file `~/{stamp_path(module_id)}` (the module, the time, which checks passed "
        "and the image your server runs; no name, no file contents). Your hub's admins count these "
        "files to see how training goes. You can read it, and delete it at any time."
    )


def markdown_intro(module_title: str, module_id: str) -> str:
    """The Markdown cell above the check cell of a notebook."""
    return f"## Record that you finished\n\n{_intro(module_title, module_id)}"


def python_check(module_id: str, module_title: str, exercise: str, hub: HubProfile) -> str:
    """The Python check cell: verify, then write the stamp (or say which check did not pass)."""
    lines = [
        "import datetime, json, os, pathlib",
        "",
        "home = pathlib.Path.home()",
        'checks = {"on_hub": bool(os.environ.get("JUPYTERHUB_USER"))}',
    ]
    hints = {"on_hub": "run this notebook on the hub"}
    for check in checks_for(module_id, hub):
        hints[check.name] = check.hint
        if check.kind == "file":
            lines.append(f"checks[{check.name!r}] = (home / {check.target!r}).exists()")
        else:
            scheme = hub.values()["storage"]["scheme"]
            lines += [
                "try:",
                "    import fsspec",
                "",
                f"    prefix = os.environ[{bucket_variable(hub)!r}].rstrip('/')",
                f"    checks[{check.name!r}] = fsspec.filesystem({scheme!r}).exists(f'{{prefix}}/{check.target}')",
                "except Exception:  # no bucket variable, no access: the object cannot be confirmed",
                f"    checks[{check.name!r}] = False",
            ]
    server = ", ".join(f"{key!r}: os.environ.get({var!r})" for key, var in SERVER_VARIABLES.items())
    lines += [
        f"hints = {hints!r}",
        "missing = [name for name, passed in checks.items() if not passed]",
        "if missing:",
        '    print("Not recorded yet. To do first:")',
        "    for name in missing:",
        '        print(" -", hints[name])',
        "else:",
        "    stamp = {",
        f'        "format": {STAMP_FORMAT},',
        f'        "module": {module_id!r},',
        f'        "exercise": {exercise!r},',
        '        "completed_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),',
        '        "checks": checks,',
        f'        "server": {{{server}}},',
        "    }",
        f"    stamp_file = home / {STAMP_FOLDER!r} / {module_id + '.json'!r}",
        "    stamp_file.parent.mkdir(parents=True, exist_ok=True)",
        '    stamp_file.write_text(json.dumps(stamp, indent=1) + "\\n")',
        f'    print("Well done: you finished {_py_text(module_title)}. Recorded in", stamp_file)',
    ]
    return "\n".join(lines)


def _py_text(text: str) -> str:
    """Text inside a double-quoted Python (or R) string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def r_check(module_id: str, module_title: str, exercise: str, hub: HubProfile) -> str:
    """The same check in R (for R notebooks and scripts). Bucket objects are not checked from R."""
    checks = [c for c in checks_for(module_id, hub) if c.kind == "file"]
    lines = [
        'home <- path.expand("~")',
        'checks <- list(on_hub = nzchar(Sys.getenv("JUPYTERHUB_USER")))',
        'hints <- list(on_hub = "run this on the hub")',
    ]
    for check in checks:
        lines.append(f'checks[["{check.name}"]] <- file.exists(file.path(home, "{_py_text(check.target)}"))')
        lines.append(f'hints[["{check.name}"]] <- "{_py_text(check.hint)}"')
    server = ", ".join(
        f'"{", " if index else ""}\\"{key}\\": ", json_text(Sys.getenv("{var}"))'
        for index, (key, var) in enumerate(SERVER_VARIABLES.items())
    )
    lines += [
        "missing <- names(checks)[!unlist(checks)]",
        "if (length(missing) > 0) {",
        '  cat("Not recorded yet. To do first:\\n")',
        '  for (name in missing) cat(" -", hints[[name]], "\\n")',
        "} else {",
        '  json_text <- function(x) if (nzchar(x)) encodeString(x, quote = "\\"") else "null"',
        '  checks_json <- paste0("\\"", names(checks), "\\": ", ifelse(unlist(checks), "true", "false"), collapse = ", ")',
        '  completed_at <- format(Sys.time(), "%Y-%m-%dT%H:%M:%S+00:00", tz = "UTC")',
        "  stamp <- paste0(",
        f'    "{{\\"format\\": {STAMP_FORMAT}, \\"module\\": \\"{module_id}\\", \\"exercise\\": \\"{_py_text(exercise)}\\", ",',
        '    "\\"completed_at\\": \\"", completed_at, "\\", \\"checks\\": {", checks_json, "}, \\"server\\": {",',
        f"    {server},",
        '    "}}"',
        "  )",
        f'  stamp_file <- file.path(home, "{STAMP_FOLDER}", "{module_id}.json")',
        "  dir.create(dirname(stamp_file), recursive = TRUE, showWarnings = FALSE)",
        "  writeLines(stamp, stamp_file)",
        f'  cat("Well done: you finished {_py_text(module_title)}. Recorded in", stamp_file, "\\n")',
        "}",
    ]
    return "\n".join(lines)


def r_script_block(module_id: str, module_title: str, exercise: str, hub: HubProfile) -> str:
    """The check as the last block of an R script, introduced by comment lines."""
    intro = _intro(module_title, module_id).replace("`", "")
    words, comment, width = intro.split(), ["# Record that you finished."], 0
    line: list[str] = []
    for word in words:
        if width + len(word) > 96 and line:
            comment.append("# " + " ".join(line))
            line, width = [], 0
        line.append(word)
        width += len(word) + 1
    comment.append("# " + " ".join(line))
    return "\n".join(["", *comment, r_check(module_id, module_title, exercise, hub), ""])


# --- reading stamps ------------------------------------------------------------------------------


class StampError(ValueError):
    """A stamp file is not what the check cell writes (the message says what is wrong)."""


@dataclass(frozen=True)
class Stamp:
    module: str
    exercise: str
    completed_at: datetime
    checks: dict[str, bool] = field(default_factory=dict)
    server: dict[str, str | None] = field(default_factory=dict)


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise StampError(f"completed_at is {value!r}; expected an ISO time such as 2026-11-20T10:15:00+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise StampError(
            f"completed_at {value!r} is not an ISO time; expected e.g. 2026-11-20T10:15:00+00:00"
        ) from None
    if parsed.tzinfo is None:
        raise StampError(f"completed_at {value!r} has no time zone; expected e.g. 2026-11-20T10:15:00+00:00")
    return parsed


def parse_stamp(text: str, file_module: str) -> Stamp:
    """A stamp from its text; ``file_module`` is the file's name without ``.json`` (must match)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise StampError(f"is not JSON ({exc.msg} at line {exc.lineno}); expected what the check cell writes") from None
    if not isinstance(data, dict):
        raise StampError(f"holds a {type(data).__name__}; expected a JSON object")
    if data.get("format") != STAMP_FORMAT:
        raise StampError(f"format is {data.get('format')!r}; expected {STAMP_FORMAT}")
    module = data.get("module")
    if not isinstance(module, str) or not MODULE_ID.match(module):
        raise StampError(f"module is {module!r}; expected a module id such as 'welcome'")
    if module != file_module:
        raise StampError(f"module is {module!r} but the file is named {file_module}.json; expected {module}.json")
    exercise = data.get("exercise")
    if not isinstance(exercise, str) or not exercise:
        raise StampError(f"exercise is {exercise!r}; expected the exercise's name")
    checks = data.get("checks")
    if not isinstance(checks, dict) or not all(isinstance(k, str) and isinstance(v, bool) for k, v in checks.items()):
        raise StampError("checks is not a mapping of names to true/false")
    server = data.get("server", {})
    if not isinstance(server, dict) or not all(v is None or isinstance(v, str) for v in server.values()):
        raise StampError("server is not a mapping of names to text or null")
    return Stamp(module, exercise, _timestamp(data.get("completed_at")), dict(checks), dict(server))
