"""Hub files: valid ones load, bad ones give one clean line per problem and exit status 1."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from training.cli.main import main
from training.model.hub_profile import DEMO_HUB_FILE, HubFileError, load_hub_profile

from .conftest import HUBS, run_cli

DEMO = yaml.safe_load(DEMO_HUB_FILE.read_text())


def write_hub(tmp_path: Path, data: dict | str, name: str = "hub.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return path


def changed(**changes: object) -> dict:
    """The demo hub with top-level or dotted keys changed (value None removes the key)."""
    data = yaml.safe_load(DEMO_HUB_FILE.read_text())
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return data


BAD_FILES = [
    pytest.param(changed(name=None), "name", "required key is missing", id="missing-required"),
    pytest.param(changed(login__provider=None), "login.provider", "required key is missing", id="missing-nested"),
    # codespell:ignore-next-line  (the typo is the test)
    pytest.param(changed(suport={"name": "x"}), "suport", "did you mean 'support'", id="unknown-top-key"),
    pytest.param(
        changed(server__idle_timout_minutes=5), "server.idle_timout_minutes", "did you mean", id="unknown-nested"
    ),
    pytest.param(
        changed(server__idle_timeout_minutes="soon"), "server.idle_timeout_minutes", "whole number", id="wrong-type"
    ),
    pytest.param(changed(interfaces="lab"), "interfaces", "expected a list", id="wrong-type-list"),
    pytest.param(changed(url="http://hub.example.org"), "url", "https", id="non-https-url"),
    pytest.param(changed(url="ftp://hub.example.org"), "url", "https", id="ftp-url"),
    pytest.param(changed(id="My Hub!"), "id", "lowercase letters, digits and dashes", id="bad-id"),
    pytest.param(changed(server__idle_timeout_minutes=-5), "server.idle_timeout_minutes", "too small", id="negative"),
    pytest.param(changed(storage__home_quota_gb=-1), "storage.home_quota_gb", "too small", id="negative-float"),
    pytest.param(changed(login__provider="facebook"), "login.provider", "'github'", id="unknown-provider"),
    pytest.param(changed(interfaces=["lab", "emacs"]), "interfaces[1]", "'rstudio'", id="unknown-interface"),
    pytest.param(changed(languages=["julia"]), "languages[0]", "'python'", id="unknown-language"),
    pytest.param(changed(storage__cloud="ibm"), "storage.cloud", "'aws'", id="unknown-cloud"),
    pytest.param(
        changed(profile_list__0__display_name=None), "profile_list[0].display_name", "required", id="profile-no-name"
    ),
    pytest.param(changed(profile_list__1__slug="small"), "profile_list", "slugs must be unique", id="duplicate-slug"),
    pytest.param(changed(support__url="javascript:alert(1)"), "support.url", "https", id="javascript-url"),
    pytest.param(changed(support={"name": "x"}), "support", "url, an email", id="support-unreachable"),
    pytest.param(
        changed(storage__scratch__url="gs://b/{username}"), "storage", "cloud is 'aws'", id="bucket-cloud-mismatch"
    ),
    # Quoted numbers and words for true/false are mistakes, not values to guess at.
    pytest.param(
        changed(server__idle_timeout_minutes="60"), "server.idle_timeout_minutes", "whole number", id="quoted-number"
    ),
    pytest.param(changed(login__shutdown_on_logout="off"), "login.shutdown_on_logout", "true/false", id="word-bool"),
    pytest.param(changed(server__max_age_days=True), "server.max_age_days", "is not a number", id="bool-for-number"),
    pytest.param(changed(name=2026), "name", "is not text", id="number-for-text"),
    pytest.param(
        changed(storage__shared_writable=["scratch"]), "storage", "not in shared_dirs", id="writable-not-shared"
    ),
]


@pytest.mark.parametrize(("data", "field", "expected"), BAD_FILES)
def test_bad_hub_file_names_field_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict, field: str, expected: str
) -> None:
    path = write_hub(tmp_path, data)
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(path)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert any(line.startswith(f"{path}: {field}") and expected in line for line in lines), err
    assert "Traceback" not in err


def test_invalid_yaml_reports_line(tmp_path: Path) -> None:
    path = write_hub(tmp_path, "id: demo\nname: [unclosed\nurl: https://x.org\n")
    with pytest.raises(HubFileError) as info:
        load_hub_profile(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}: line ")
    assert "invalid YAML" in problem
    assert int(problem.split("line ")[1].split(":")[0]) in {2, 3, 4}


def test_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(HubFileError, match="expected a YAML mapping"):
        load_hub_profile(write_hub(tmp_path, "- just\n- a list\n"))


def test_missing_hub_file(tmp_path: Path) -> None:
    with pytest.raises(HubFileError, match="no such hub file"):
        load_hub_profile(tmp_path / "nope.yaml")


def test_several_problems_one_line_each(tmp_path: Path) -> None:
    path = write_hub(tmp_path, changed(url="http://x.org", id="Bad Id", login__provider="myspace"))
    with pytest.raises(HubFileError) as info:
        load_hub_profile(path)
    fields = sorted(p.split(": ")[1] for p in info.value.problems)
    assert fields == ["id", "login.provider", "url"]


CLI_BAD_TEXTS = [
    pytest.param("id: demo\nname: [unclosed\nurl: https://x.org\n", "line ", "invalid YAML", id="invalid-yaml"),
    pytest.param("- just\n- a list\n", "(top level)", "expected a YAML mapping", id="not-a-mapping"),
    pytest.param(
        yaml.safe_dump(changed(profile_list=None, profile_list_from="nope.yaml")),
        "profile_list_from",
        "nope.yaml",
        id="profile-list-from-missing-file",
    ),
    pytest.param(
        yaml.safe_dump(changed(profile_list=None, profile_list_from="values.yaml")),
        "profile_list_from",
        "singleuser.profileList",
        id="profile-list-from-missing-key",
    ),
]


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(("text", "field", "expected"), CLI_BAD_TEXTS)
def test_cli_bad_text_one_clean_line_and_exit_1(
    tmp_path: Path, command: str, text: str, field: str, expected: str
) -> None:
    (tmp_path / "values.yaml").write_text("hub:\n  config: {}\n")
    path = write_hub(tmp_path, text)
    out = tmp_path / "out"
    result = run_cli(command, str(path), *(["-o", str(out)] if command == "build" else []))
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}: {field}") and expected in line, line
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("command", ["check", "build"])
def test_cli_bad_file_exit_status_and_no_output_folder(tmp_path: Path, command: str) -> None:
    path = write_hub(tmp_path, changed(url="http://hub.example.org"))
    out = tmp_path / "out"
    args = [command, str(path)] + (["-o", str(out)] if command == "build" else [])
    result = run_cli(*args)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"{path}: url: 'http://hub.example.org' is not an https URL; expected https://host/... (http only for localhost)"
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_check_ok() -> None:
    result = run_cli("check", str(HUBS / "gcp-cilogon.yaml"))
    assert (result.returncode, result.stdout.strip()) == (0, "OK")


def test_http_allowed_for_localhost(tmp_path: Path) -> None:
    hub = load_hub_profile(write_hub(tmp_path, changed(url="http://127.0.0.1:8000/")))
    assert hub.url == "http://127.0.0.1:8000"


def test_url_with_path_prefix_kept() -> None:
    hub = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    assert hub.url == "https://ocean.university.edu/jupyter"


# --- profile_list_from: zero-to-jupyterhub values files -----------------------------------------

PROFILES = [
    {"display_name": "Tiny", "description": "1 CPU"},
    {"display_name": "Huge", "kubespawner_override": {"mem_limit": "64G"}},
]


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"singleuser": {"profileList": PROFILES}}, id="z2jh-top-level"),
        pytest.param({"jupyterhub": {"singleuser": {"profileList": PROFILES}}}, id="2i2c-nested-under-jupyterhub"),
    ],
)
def test_profile_list_from_values_file(tmp_path: Path, values: dict) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "values.yaml").write_text(yaml.safe_dump(values))
    data = changed(profile_list=None)
    data["profile_list_from"] = "config/values.yaml"
    hub = load_hub_profile(write_hub(tmp_path, data))
    assert [p.display_name for p in hub.profile_list] == ["Tiny", "Huge"]
    assert hub.profile_list[1].kubespawner_override == {"mem_limit": "64G"}
    assert [p.effective_slug for p in hub.profile_list] == ["tiny", "huge"]


def test_profile_list_from_missing_file(tmp_path: Path) -> None:
    data = changed(profile_list=None)
    data["profile_list_from"] = "nowhere.yaml"
    with pytest.raises(HubFileError) as info:
        load_hub_profile(write_hub(tmp_path, data))
    assert info.value.problems[0].startswith(f"{tmp_path / 'hub.yaml'}: profile_list_from: ")
    assert "does not exist" in info.value.problems[0]


def test_profile_list_from_missing_key_path(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text(yaml.safe_dump({"hub": {"config": {}}}))
    data = changed(profile_list=None)
    data["profile_list_from"] = "values.yaml"
    with pytest.raises(HubFileError) as info:
        load_hub_profile(write_hub(tmp_path, data))
    assert "profile_list_from" in info.value.problems[0]
    assert "singleuser.profileList" in info.value.problems[0]


def test_kubernetes_only_keys_are_kept() -> None:
    hub = load_hub_profile()
    assert hub.profile_list[1].kubespawner_override["extra_resource_limits"] == {"nvidia.com/gpu": "1"}
    assert hub.profile_list[1].restricted_to == ["example-org:gpu-users"]


def test_demo_hub_matches_the_brief() -> None:
    hub = load_hub_profile()
    assert (hub.id, hub.url, hub.login.provider, hub.example) == ("demo", "https://hub.example.org", "github", True)
    assert {"lab", "rstudio", "python", "r", "scratch-bucket", "persistent-bucket", "custom-image"} <= hub.features
    assert hub.server.idle_timeout_minutes == 60
    assert len(hub.profile_list) == 2


def test_indented_yaml_error_line_number(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        id: demo
        login:
          provider: github
           access: bad indent
        """
    )
    with pytest.raises(HubFileError) as info:
        load_hub_profile(write_hub(tmp_path, text))
    assert ": line 4: invalid YAML" in info.value.problems[0]


def test_plain_sphinx_build_with_a_bad_hub_file_is_clean(tmp_path: Path) -> None:
    from .conftest import SITES, run_sphinx

    path = write_hub(tmp_path, changed(id="Bad Id"))
    result = run_sphinx(SITES / "substitution", tmp_path / "out", path)
    assert result.returncode == 1
    assert f"{path}: id: 'Bad Id' is not a valid id" in result.stderr
    assert "Traceback" not in result.stderr and "Configuration error" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure", "none"])
def test_every_derived_value_exists_for_every_cloud(tmp_path: Path, cloud: str) -> None:
    from training.model.hub_profile import DERIVED_VALUES
    from training.model.hub_values import lookup

    buckets = {"aws": "s3://b/{username}", "gcp": "gs://b/{username}", "azure": "az://b/{username}"}
    storage = {"cloud": cloud}
    if cloud in buckets:
        storage["scratch"] = {"env": "SCRATCH_BUCKET", "url": buckets[cloud]}
    values = load_hub_profile(write_hub(tmp_path, changed(storage=storage))).values()
    for key in DERIVED_VALUES:
        assert isinstance(lookup(values, key), str | list), key
    if cloud != "none":
        scheme = lookup(values, "storage.scheme")
        assert buckets[cloud].startswith(f"{scheme}://")
        public = lookup(values, "storage.public_data_url")
        assert public == "" or public.startswith(f"{scheme}://")


@pytest.mark.parametrize(
    ("days", "words"),
    [(7, "7 days"), (1, "1 day"), (1.5, "1.5 days"), (0.5, "12 hours"), (1 / 24, "1 hour"), (0.25, "6 hours")],
)
def test_max_age_in_words(tmp_path: Path, days: float, words: str) -> None:
    """A maximum age under a day is said in hours (``cull.maxAge: 43200`` is 12 hours, not 0.5 days)."""
    values = load_hub_profile(write_hub(tmp_path, changed(server__max_age_days=days))).values()
    assert values["server"]["max_age"] == words
