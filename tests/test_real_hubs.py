"""Real hub configurations (copied from 2i2c-org/infrastructure into ``tests/hubs/real/``) read as they are.

The oracle for defaults is KubeSpawner itself: its ``_get_initialized_profile_list`` and
``_get_profile`` need no Kubernetes, so they run here on the same raw profile list the site reads.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from kubespawner import KubeSpawner

from training.model.helm_values import merge_values
from training.model.hub_profile import HubFileError, HubProfile, hub_section, load_hub_profile, read_yaml_mapping
from training.sphinx_ext.hub_options import default_choice, default_profile, summarize_profiles, table_cells

from .conftest import HUBS, SITES, BuiltSite, run_cli, run_sphinx

REAL = HUBS / "real"
REAL_HUBS = sorted(path.parent.name for path in REAL.glob("*/hub.yaml"))
OPTIONS_SITE = SITES / "hub_options" / "full"


def raw_profile_list(hub_file: Path) -> list[dict[str, Any]]:
    """The profile list exactly as the values files give it (merged as helm merges them)."""
    data = yaml.safe_load(hub_file.read_text())
    sources = data["profile_list_from"]
    sources = [sources] if isinstance(sources, str) else sources
    merged = merge_values(read_yaml_mapping(hub_file.parent / name) for name in sources)
    found = hub_section(merged)
    assert found is not None
    return copy.deepcopy(found[1]["singleuser"].get("profileList") or [])


def kubespawner_defaults(profile_list: list[dict[str, Any]]) -> tuple[str, dict[str, dict[str, str]]]:
    """KubeSpawner's default profile slug and, per profile slug, its default choice key per option."""
    initialized = KubeSpawner._get_initialized_profile_list(None, profile_list)  # type: ignore[arg-type]
    default = KubeSpawner._get_profile(None, None, initialized)  # type: ignore[arg-type]
    choices = {
        profile["slug"]: {
            name: next(key for key, choice in option["choices"].items() if choice.get("default"))
            for name, option in profile.get("profile_options", {}).items()
            if option.get("choices")
        }
        for profile in initialized
    }
    return default["slug"], choices


def test_fixtures_cover_each_kind_of_real_hub() -> None:
    """Guard: the fixtures keep one hub of each kind the site must read."""
    hubs = {name: load_hub_profile(REAL / name / "hub.yaml") for name in REAL_HUBS}
    kinds = {
        "daskhub nesting": any(
            "basehub" in yaml.safe_load(values.read_text()) for values in REAL.glob("*/*values.yaml")
        ),
        "dynamic image building": any("build-image" in hub.features for hub in hubs.values()),
        "no profile list": any(not hub.profile_list and hub.single_server for hub in hubs.values()),
        "per-choice default_url": any(
            choice.default_url
            for hub in hubs.values()
            for profile in hub.profile_list
            for option in profile.profile_options.values()
            for choice in option.choices.values()
        ),
        "per-choice allowed_groups": any(
            choice.allowed_groups
            for hub in hubs.values()
            for profile in hub.profile_list
            for option in profile.profile_options.values()
            for choice in option.choices.values()
        ),
        "azure": any(hub.storage.cloud == "azure" for hub in hubs.values()),
    }
    assert all(kinds.values()), kinds


@pytest.mark.parametrize("name", REAL_HUBS)
def test_check_passes(name: str) -> None:
    result = run_cli("check", str(REAL / name / "hub.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("OK")


@pytest.mark.parametrize("name", REAL_HUBS)
def test_defaults_equal_kubespawners(name: str) -> None:
    hub_file = REAL / name / "hub.yaml"
    hub = load_hub_profile(hub_file)
    raw = raw_profile_list(hub_file)
    if not raw:
        assert not hub.profile_list
        return
    expected_profile, expected_choices = kubespawner_defaults(raw)
    assert default_profile(hub.profile_list).effective_slug == expected_profile  # type: ignore[union-attr]
    ours = {
        profile.effective_slug: {
            key: default_choice(option) for key, option in profile.profile_options.items() if option.choices
        }
        for profile in hub.profile_list
    }
    assert ours == expected_choices


@pytest.mark.parametrize("name", REAL_HUBS)
def test_choices_keep_source_order(name: str) -> None:
    hub_file = REAL / name / "hub.yaml"
    hub = load_hub_profile(hub_file)
    raw = raw_profile_list(hub_file)
    assert [p.display_name for p in hub.profile_list] == [p["display_name"] for p in raw]
    for profile, raw_profile in zip(hub.profile_list, raw, strict=True):
        for key, option in profile.profile_options.items():
            assert list(option.choices) == list(raw_profile["profile_options"][key].get("choices") or {})


def test_cryocloud_default_is_the_first_listed_not_the_first_sorted() -> None:
    """The case that was wrong: ``mem_119_gb`` sorts first, ``mem_2_gb`` is the hub's default."""
    hub = load_hub_profile(REAL / "cryocloud" / "hub.yaml")
    option = hub.profile_list[0].profile_options["resource_allocation"]
    assert sorted(option.choices)[0] == "mem_119_gb"
    assert default_choice(option) == "mem_2_gb"


def test_cryocloud_table_says_who_may_choose_each_choice() -> None:
    hub = load_hub_profile(REAL / "cryocloud" / "hub.yaml")
    row = summarize_profiles(hub.profile_list)[0]
    who = table_cells(row)[4]
    assert who[0] == "Everyone who can log in"
    assert any(
        line.startswith("Resource Allocation: ~119 GB RAM, ~15 CPUs: only members of")
        and "CryoInTheCloud:ml-in-glaciology" in line
        for line in who
    ), who


def test_hub_without_profile_list_reads_its_one_server() -> None:
    hub = load_hub_profile(REAL / "utoronto-r" / "hub.yaml")
    assert hub.profile_list == []
    assert hub.single_server is not None
    # common.values.yaml sets the memory, r-common.values.yaml the image and the page it opens.
    assert hub.single_server.image == "quay.io/2i2c/utoronto-r-image:b0f448387134"
    assert (hub.single_server.mem_guarantee, hub.single_server.mem_limit) == ("2G", "2G")
    assert hub.single_server.default_url == "/rstudio"


# --- the figure and the table, built ------------------------------------------------------------------


@pytest.fixture(scope="session")
def options_pages(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], BeautifulSoup]:
    """The small hub-options site built once per real hub (a clean, warning-free build)."""
    cache: dict[str, BeautifulSoup] = {}

    def build(name: str) -> BeautifulSoup:
        if name not in cache:
            out = tmp_path_factory.mktemp(f"real-options-{name}") / "html"
            result = run_sphinx(OPTIONS_SITE, out, REAL / name / "hub.yaml")
            assert result.returncode == 0, result.stdout + result.stderr
            cache[name] = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
        return cache[name]

    return build


@pytest.mark.parametrize("name", [n for n in REAL_HUBS if load_hub_profile(REAL / n / "hub.yaml").profile_list])
def test_figure_and_table_in_source_order_with_kubespawners_default(
    name: str, options_pages: Callable[[str], BeautifulSoup]
) -> None:
    hub = load_hub_profile(REAL / name / "hub.yaml")
    soup = options_pages(name)
    figure = soup.select_one("figure.hub-options")
    assert figure is not None
    cards = figure.select("li.hub-options-profile")
    assert [card["data-slug"] for card in cards] == [p.effective_slug for p in hub.profile_list]
    _, expected_choices = kubespawner_defaults(raw_profile_list(REAL / name / "hub.yaml"))
    for card, profile in zip(cards, hub.profile_list, strict=True):
        blocks = card.select("div.hub-options-option")
        listed = [key for key, option in profile.profile_options.items()]
        assert len(blocks) == len(listed)
        for block, key in zip(blocks, listed, strict=True):
            keys = [item["data-key"] for item in block.select("li.hub-options-choice[data-key]")]
            assert keys == list(profile.profile_options[key].choices)
            marked = [item["data-key"] for item in block.select("li.hub-options-is-default[data-key]")]
            if profile.profile_options[key].choices:
                assert marked == [expected_choices[profile.effective_slug][key]]
    rows = soup.select("table.hub-options-table tbody tr")
    assert [" ".join(row.select_one("th, td").get_text(" ").split()) for row in rows] == [
        p.display_name + (" (default)" if p is default_profile(hub.profile_list) else "") for p in hub.profile_list
    ]


def test_figure_names_the_groups_of_restricted_choices(options_pages: Callable[[str], BeautifulSoup]) -> None:
    soup = options_pages("cryocloud")
    item = soup.select_one('li.hub-options-choice[data-key="mem_119_gb"]')
    assert item is not None
    text = " ".join(item.get_text(" ").split())
    assert "Only for members of" in text and "CryoInTheCloud:ml-in-glaciology" in text


def test_hub_without_profile_list_says_what_the_server_has(options_pages: Callable[[str], BeautifulSoup]) -> None:
    soup = options_pages("utoronto-r")
    assert soup.select_one("figure.hub-options") is None
    text = " ".join(soup.get_text(" ").split())
    assert "University of Toronto (R) has no Server Options page" in text
    assert "quay.io/2i2c/utoronto-r-image:b0f448387134" in text
    assert "2 GiB of memory" in text
    assert "opens RStudio" in text


# --- the whole site, once per real hub ----------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_HUBS)
def test_full_site_builds(name: str, build_hub_site: Callable[[Path | None], BuiltSite]) -> None:
    site = build_hub_site(REAL / name / "hub.yaml")
    assert site.returncode == 0, site.output
    hub = load_hub_profile(REAL / name / "hub.yaml")
    assert hub.url in (site.html / "index.html").read_text(encoding="utf-8")


# --- bad values files -------------------------------------------------------------------------------


def _hub_with_values(tmp_path: Path, values_text: str) -> Path:
    (tmp_path / "values.yaml").write_text(values_text)
    hub = yaml.safe_load((REAL / "veda" / "hub.yaml").read_text())
    hub["profile_list_from"] = "values.yaml"
    path = tmp_path / "hub.yaml"
    path.write_text(yaml.safe_dump(hub, sort_keys=False))
    return path


BAD_VALUES = [
    pytest.param("jupyterhub:\n  singleuser: [unclosed\n", "values.yaml: line ", "invalid YAML", id="not-yaml"),
    pytest.param(
        "hub:\n  config: {}\n",
        "hub.yaml: profile_list_from: ",
        "tried singleuser.profileList, jupyterhub.singleuser.profileList, basehub.jupyterhub.singleuser.profileList",
        id="no-hub-section",
    ),
    pytest.param(
        "basehub:\n  jupyterhub:\n    singleuser:\n      profileList: {small: {}}\n",
        "values.yaml: basehub.jupyterhub.singleuser.profileList: ",
        "expected a list of profiles",
        id="profile-list-not-a-list",
    ),
    pytest.param(
        "jupyterhub:\n  singleuser:\n    profileList:\n      - description: no name\n",
        "values.yaml: jupyterhub.singleuser.profileList[0].display_name: ",
        "required key is missing",
        id="profile-without-name",
    ),
    pytest.param(
        "singleuser:\n  profileList:\n    - display_name: A\n      profile_options:\n        image:\n"
        "          display_name: Image\n          choices: [a, b]\n",
        "values.yaml: singleuser.profileList[0].profile_options.image.choices: ",
        "expected a mapping",
        id="choices-not-a-mapping",
    ),
]


@pytest.mark.parametrize(("values_text", "where", "expected"), BAD_VALUES)
def test_bad_values_file_one_located_line_exit_1(tmp_path: Path, values_text: str, where: str, expected: str) -> None:
    hub_file = _hub_with_values(tmp_path, values_text)
    result = run_cli("check", str(hub_file))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(str(tmp_path / where)) and expected in line, line
    assert "Traceback" not in result.stderr


def test_profile_list_in_an_earlier_file_is_located_there(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("jupyterhub:\n  singleuser:\n    profileList:\n      - slug: x\n")
    (tmp_path / "prod.yaml").write_text("jupyterhub:\n  singleuser:\n    image: {name: a, tag: b}\n")
    hub = yaml.safe_load((REAL / "veda" / "hub.yaml").read_text())
    hub["profile_list_from"] = ["common.yaml", "prod.yaml"]
    (tmp_path / "hub.yaml").write_text(yaml.safe_dump(hub))
    with pytest.raises(HubFileError) as info:
        load_hub_profile(tmp_path / "hub.yaml")
    assert info.value.problems == [
        f"{tmp_path / 'common.yaml'}: jupyterhub.singleuser.profileList[0].display_name: required key is missing; add it"
    ]


def test_helm_merge_mappings_merge_lists_replace() -> None:
    merged = merge_values([{"a": {"b": 1, "l": [1, 2]}, "x": 1}, {"a": {"c": 2, "l": [3]}, "x": None}])
    assert merged == {"a": {"b": 1, "c": 2, "l": [3]}, "x": None}


def test_values_loaded_are_real_hub_profiles() -> None:
    for name in REAL_HUBS:
        assert isinstance(load_hub_profile(REAL / name / "hub.yaml"), HubProfile)


def test_build_your_own_image_follows_the_other_choices(options_pages: Callable[[str], BeautifulSoup]) -> None:
    """As jupyterhub-fancy-profiles lists them: the hub's choices, the free-text choice, then the build."""
    hub = load_hub_profile(REAL / "imagebuilding" / "hub.yaml")
    assert "build-image" in hub.features
    block = options_pages("imagebuilding").select_one("div.hub-options-option")
    assert block is not None
    names = [" ".join(n.get_text(" ").split()) for n in block.select("li.hub-options-choice .hub-options-choice-name")]
    assert names == [
        "Pangeo Notebook Image (default)",
        "Jupyter SciPy Notebook",
        "Specify an existing docker image",
        "Build your own image",
    ]


# --- hub-training init ------------------------------------------------------------------------------

#: What a person types where init wrote FILL IN (the values no configuration holds).
FILLED = {
    "id": "drafted-hub",
    "name": "Drafted Hub",
    "url": "https://drafted.example.org",
    "materials.repo": "https://github.com/example-org/training-materials",
    "support.name": "#hub-help on Slack",
    "support.url": "https://example.slack.com/archives/hub-help",
}


def _values_files(name: str) -> list[Path]:
    sources = yaml.safe_load((REAL / name / "hub.yaml").read_text())["profile_list_from"]
    return [REAL / name / source for source in ([sources] if isinstance(sources, str) else sources)]


def init_hub(name: str, out: Path) -> str:
    """Run ``hub-training init`` on a fixture's values files (and cluster file); return what check says."""
    cluster = REAL / name / "cluster.yaml"
    args = ["init", *map(str, _values_files(name)), "-o", str(out)]
    if cluster.exists():
        args += ["--cluster", str(cluster)]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return out.read_text()


def fill_in(text: str) -> str:
    from training.model.hub_init import FILL_IN, unset_values

    lines = text.split("\n")
    for key, line in unset_values(text):
        lines[line - 1] = lines[line - 1].replace(FILL_IN, FILLED[key], 1)
    return "\n".join(lines)


@pytest.mark.parametrize("name", REAL_HUBS)
def test_init_draft_names_each_value_to_fill_then_passes_check(name: str, tmp_path: Path) -> None:
    out = tmp_path / "drafted.yaml"
    text = init_hub(name, out)
    result = run_cli("check", str(out))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    from training.model.hub_init import unset_values

    unset = unset_values(text)
    assert {key for key, _ in unset} >= {"materials.repo", "support.name", "support.url"}
    assert lines == [
        f"{out}: line {line}: {key}: not set yet (hub-training init could not read it from the hub's "
        "configuration); replace 'FILL IN' on this line"
        for key, line in unset
    ]
    for key, line in unset:
        assert text.split("\n")[line - 1].lstrip().startswith(key.rsplit(".", 1)[-1] + ': "FILL IN"  # ')
    out.write_text(fill_in(text))
    result = run_cli("check", str(out))
    assert result.returncode == 0, result.stderr


def test_init_reads_what_the_configuration_says(tmp_path: Path) -> None:
    hub = yaml.safe_load(init_hub("cryocloud", tmp_path / "cryo.yaml"))
    assert hub["url"] == "https://hub.cryointhecloud.com"  # the cluster file's domain
    assert hub["name"] == "NASA Cryo in the Cloud (prod)"
    assert hub["login"]["provider"] == "github"
    assert "CryoInTheCloud:cryoclouduser" in hub["login"]["access"]
    assert hub["storage"]["cloud"] == "aws"
    assert hub["storage"]["scratch"] == {"env": "SCRATCH_BUCKET", "url": "s3://nasa-cryo-scratch/{username}"}
    assert hub["storage"]["persistent"]["url"] == "s3://nasa-cryo-persistent/{username}"
    assert hub["storage"]["home_quota_gb"] == 35
    assert hub["storage"]["shared_dirs"] == ["shared-public", "shared"]
    assert hub["storage"]["shared_writable"] == ["shared-public"]
    assert hub["server"] == {"idle_timeout_minutes": 60, "start_timeout_minutes": 10}  # basehub's defaults
    assert hub["dask_gateway"] is True
    text = (tmp_path / "cryo.yaml").read_text()
    assert "cull.timeout is not set: 2i2c's basehub chart's default, 3600 seconds" in text

    veda = yaml.safe_load(init_hub("veda", tmp_path / "veda.yaml"))
    assert veda["url"] == "https://hub.openveda.cloud"
    assert veda["interfaces"] == ["lab", "rstudio", "desktop"]  # defaultUrl and each choice's default_url
    assert veda["storage"]["home_quota_gb"] == 200

    toronto = yaml.safe_load(init_hub("utoronto-r", tmp_path / "toronto.yaml"))
    assert toronto["url"] == "https://r.datatools.utoronto.ca"
    assert toronto["login"]["provider"] == "generic"  # azuread
    assert toronto["interfaces"] == ["rstudio"]
    assert toronto["storage"]["home_dir"] == "/home/rstudio"
    assert toronto["storage"]["cloud"] == "none"  # provider: kubeconfig says nothing about the cloud


def test_init_from_a_values_file_with_no_hub_section(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("nfs:\n  enabled: true\n")
    result = run_cli("init", str(tmp_path / "values.yaml"), "-o", str(tmp_path / "hub.yaml"))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{tmp_path / 'values.yaml'}: (file): no hub section")
    assert not (tmp_path / "hub.yaml").exists()


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "hub.yaml").write_text("id: mine\n")
    result = run_cli("init", str(REAL / "imagebuilding" / "values.yaml"), "-o", str(tmp_path / "hub.yaml"))
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert (tmp_path / "hub.yaml").read_text() == "id: mine\n"


def test_site_built_from_an_init_draft_shows_the_real_hub(
    tmp_path_factory: pytest.TempPathFactory, build_hub_site: Callable[[Path | None], BuiltSite]
) -> None:
    out = tmp_path_factory.mktemp("init-cryo") / "hub.yaml"
    out.write_text(fill_in(init_hub("cryocloud", out)))
    site = build_hub_site(out)
    assert site.returncode == 0, site.output
    text = " ".join(
        " ".join(page.read_text(encoding="utf-8").split()) for page in site.pages() if "modules" in str(page)
    )
    assert "https://hub.cryointhecloud.com" in text
    assert "GitHub" in text
    assert "s3://nasa-cryo-scratch/" in text
    assert "60 minutes" in text


# --- which choice opens which interface -------------------------------------------------------------


def test_choices_that_open_an_interface() -> None:
    from training.sphinx_ext.hub_options import interface_openers

    veda = load_hub_profile(REAL / "veda" / "hub.yaml")
    assert {"opens-rstudio", "opens-desktop"} <= veda.features
    assert interface_openers(veda, "rstudio") == [
        "On the Server Options page, choose **Rocker Geospatial with RStudio** under **Environment** and click **Start**."
    ]
    assert interface_openers(veda, "desktop") == [
        "On the Server Options page, choose **QGIS on Linux Desktop** under **Environment** and click **Start**."
    ]
    toronto = load_hub_profile(REAL / "utoronto-r" / "hub.yaml")
    assert interface_openers(toronto, "rstudio") == [
        "Start your server: University of Toronto (R) opens RStudio for you."
    ]
    assert interface_openers(toronto, "lab") == []


def test_figure_says_which_choice_opens_which_interface(options_pages: Callable[[str], BeautifulSoup]) -> None:
    soup = options_pages("veda")
    notes = {
        item["data-key"]: " ".join(item.select_one(".hub-options-opens").get_text(" ").split())
        for item in soup.select("li.hub-options-choice[data-key]")
        if item.select_one(".hub-options-opens")
    }
    assert notes == {"02-rocker": "Opens RStudio.", "03-qgis": "Opens a Linux desktop."}


def test_modules_tell_how_to_reach_each_interface(build_hub_site: Callable[[Path | None], BuiltSite]) -> None:
    veda = build_hub_site(REAL / "veda" / "hub.yaml")
    assert veda.returncode == 0, veda.output
    rstudio = veda.text("modules/rstudio-tour/index.html")
    assert "choose Rocker Geospatial with RStudio under Environment and click Start" in rstudio
    assert "Launcher, under Notebook" not in rstudio  # the Rocker choice opens RStudio itself
    choosing = veda.text("modules/choosing-an-environment/index.html")
    assert "The Linux desktop" in choosing
    assert "choose QGIS on Linux Desktop under Environment and click Start" in choosing

    toronto = build_hub_site(REAL / "utoronto-r" / "hub.yaml")
    assert toronto.returncode == 0, toronto.output
    assert "University of Toronto (R) opens RStudio for you" in toronto.text("modules/rstudio-tour/index.html")


def test_init_reads_the_home_quota_in_both_forms_real_hubs_use(tmp_path: Path) -> None:
    """``quotaEnforcer.config.QuotaManager.hard_quota: 35`` (CryoCloud) and ``quotaEnforcer.hardQuota: "1"``
    (config/clusters/catalystproject-africa/kush.values.yaml, commit 01b62856)."""
    (tmp_path / "values.yaml").write_text(
        "jupyterhub:\n  ingress:\n    hosts: [kush.af.catalystproject.2i2c.cloud]\n"
        "  hub:\n    config:\n      JupyterHub:\n        authenticator_class: github\n"
        'jupyterhub-home-nfs:\n  quotaEnforcer:\n    hardQuota: "1" # in GB\n'
    )
    result = run_cli("init", str(tmp_path / "values.yaml"), "-o", str(tmp_path / "hub.yaml"))
    assert result.returncode == 0, result.stderr
    hub = yaml.safe_load((tmp_path / "hub.yaml").read_text())
    assert hub["storage"]["home_quota_gb"] == 1
    assert hub["url"] == "https://kush.af.catalystproject.2i2c.cloud"
