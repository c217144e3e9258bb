"""Sweep a folder of zero-to-jupyterhub values files: does each profile list load, draw, and name the
default KubeSpawner itself would pick? Run by hand over copies of real configurations:

    python docs/_tools/profile_list_sweep.py FOLDER

Each ``*.yaml`` file under FOLDER is read on its own (as ``profile_list_from`` reads it). Prints one
line per file and the counts at the end.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from kubespawner import KubeSpawner
from pydantic import TypeAdapter, ValidationError

from training.model.hub_profile import (
    HubFileError,
    HubProfile,
    Profile,
    load_hub_profile,
    read_yaml_mapping,
    servers_from_values,
)
from training.sphinx_ext.hub_options import default_choice, default_profile, render_options_page, summarize_profiles


def kubespawner_defaults(raw: list[dict]) -> tuple[str, dict[str, dict[str, str]]]:
    initialized = KubeSpawner._get_initialized_profile_list(None, copy.deepcopy(raw))  # type: ignore[arg-type]
    default = KubeSpawner._get_profile(None, None, initialized)  # type: ignore[arg-type]
    return default["slug"], {
        p["slug"]: {
            k: next(key for key, c in o["choices"].items() if c.get("default"))
            for k, o in p.get("profile_options", {}).items()
            if o.get("choices")
        }
        for p in initialized
    }


def sweep(folder: Path) -> int:
    counts = {
        "files": 0,
        "profile lists": 0,
        "no profile list": 0,
        "no hub section": 0,
        "defaults equal": 0,
        "problems": 0,
    }
    demo = load_hub_profile(None)
    for path in sorted(folder.rglob("*.yaml")):
        counts["files"] += 1
        try:
            servers = servers_from_values(read_yaml_mapping(path), path, str(path))
            if not servers.profile_list:
                counts["no profile list"] += 1
                print(f"{path}: no profile list; one server {servers.single_server}")
                continue
            profiles = TypeAdapter(list[Profile]).validate_python(servers.profile_list)
        except HubFileError as exc:
            if "no hub section" in str(exc):  # an overlay file (ingress, secrets...): read with its others
                counts["no hub section"] += 1
                continue
            counts["problems"] += 1
            print(f"{path}: PROBLEM {str(exc).splitlines()[0]}")
            continue
        except ValidationError as exc:
            counts["problems"] += 1
            print(f"{path}: PROBLEM {str(exc).splitlines()[0]}")
            continue
        counts["profile lists"] += 1
        hub = HubProfile.model_validate({**demo.model_dump(), "profile_list": servers.profile_list})
        render_options_page(hub)
        summarize_profiles(hub.profile_list)
        expected_profile, expected_choices = kubespawner_defaults(servers.profile_list)
        ours = {
            p.effective_slug: {k: default_choice(o) for k, o in p.profile_options.items() if o.choices}
            for p in profiles
        }
        same = default_profile(profiles).effective_slug == expected_profile and ours == expected_choices  # type: ignore[union-attr]
        counts["defaults equal"] += same
        print(f"{path}: {len(profiles)} profiles at {'.'.join(servers.path)}; defaults {'equal' if same else 'DIFFER'}")
    print(", ".join(f"{name}: {number}" for name, number in counts.items()))
    return 0 if counts["problems"] == 0 and counts["defaults equal"] == counts["profile lists"] else 1


if __name__ == "__main__":
    raise SystemExit(sweep(Path(sys.argv[1])))
