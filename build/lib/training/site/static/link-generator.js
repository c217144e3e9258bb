/* Hub Training: the nbgitpuller link generator (training/workshops.py, directive "link-generator").
 *
 * A port of training/nbgitpuller.py; both must agree on tests/data/nbgitpuller_cases.json
 * (tests/test_workshop_browser.py checks it in a real browser). The rules, from that module:
 * - the clone folder is the repository URL's last path segment without ".git";
 * - urlpath: lab -> lab/tree/<folder>[/<path>], notebook -> tree/<folder>[/<path>], rstudio -> rstudio/;
 * - "targetpath" is added when nbgitpuller's own folder (the URL's last segment, ".git" kept) differs;
 * - every value is percent-encoded once: encodeURIComponent plus !'()* (Python's quote(safe="")).
 */
(function () {
  "use strict";

  const INTERFACES = ["lab", "notebook", "rstudio"];

  function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function stripSlashes(text) {
    return text.replace(/\/+$/, "");
  }

  /* The path of a URL, as Python's urllib.parse.urlsplit gives it (no normalisation, no encoding). */
  function urlPath(url) {
    const rest = url.slice(url.indexOf("://") + 3);
    const start = rest.search(/[/?#]/);
    if (start < 0 || rest[start] !== "/") return "";
    const path = rest.slice(start);
    const end = path.search(/[?#]/);
    return end < 0 ? path : path.slice(0, end);
  }

  function cloneDir(repo) {
    let path;
    if (repo.includes("://")) {
      path = urlPath(repo);
    } else if (repo.split("/", 1)[0].includes("@")) {
      path = repo.slice(repo.lastIndexOf(":") + 1); // scp-like git@host:org/repo.git
    } else {
      path = repo;
    }
    path = stripSlashes(path);
    if (path.endsWith("/.git")) path = path.slice(0, -"/.git".length);
    path = stripSlashes(path);
    let name = path.slice(path.lastIndexOf("/") + 1);
    if (name.endsWith(".git")) name = name.slice(0, -".git".length);
    if (!name || name === "." || name === "..") {
      throw new Error("cannot derive a clone folder from the repository " + JSON.stringify(repo));
    }
    return name;
  }

  function nbgitpullerDefaultDir(repo) {
    const trimmed = stripSlashes(repo);
    return trimmed.slice(trimmed.lastIndexOf("/") + 1);
  }

  function cleanPath(path) {
    const parts = path
      .replace(/\\/g, "/")
      .split("/")
      .filter(function (part) {
        return part !== "" && part !== ".";
      });
    if (parts.includes("..")) throw new Error("the path " + JSON.stringify(path) + " leaves the repository ('..')");
    return parts.join("/");
  }

  function urlpathFor(repo, path, iface) {
    if (iface === "rstudio") return "rstudio/";
    const target = [cloneDir(repo), cleanPath(path)].filter(Boolean).join("/");
    if (iface === "lab") return "lab/tree/" + target;
    if (iface === "notebook") return "tree/" + target;
    throw new Error("unknown interface " + JSON.stringify(iface) + "; expected one of: " + INTERFACES.join(", "));
  }

  function nbgitpullerUrl(hubUrl, repo, branch, path, iface) {
    if (!branch) throw new Error("the branch must be explicit: nbgitpuller's default branch is not the repository's");
    if (!hubUrl) throw new Error("the hub address is empty");
    if (!repo) throw new Error("the repository is empty");
    const params = [
      ["repo", repo],
      ["urlpath", urlpathFor(repo, path, iface)],
      ["branch", branch],
    ];
    const folder = cloneDir(repo);
    if (folder !== nbgitpullerDefaultDir(repo)) params.push(["targetpath", folder]);
    const query = params
      .map(function (pair) {
        return pair[0] + "=" + encode(pair[1]);
      })
      .join("&");
    return stripSlashes(hubUrl) + "/hub/user-redirect/git-pull?" + query;
  }

  function setUp(form) {
    const field = function (name) {
      return form.querySelector("#lg-" + name);
    };
    const output = form.querySelector("#lg-output");
    const error = form.querySelector("#lg-error");
    const open = form.querySelector("#lg-open");
    const copy = form.querySelector(".training-lg-copy");
    const status = form.querySelector(".training-lg-status");
    let link = output.textContent;

    function update() {
      status.textContent = "";
      try {
        link = nbgitpullerUrl(
          field("hub").value.trim(),
          field("repo").value.trim(),
          field("branch").value.trim(),
          field("path").value.trim(),
          field("interface").value
        );
        output.textContent = link;
        open.href = link;
        open.removeAttribute("aria-disabled");
        copy.disabled = false;
        error.hidden = true;
        error.textContent = "";
      } catch (problem) {
        link = "";
        output.textContent = "(no link)";
        open.removeAttribute("href");
        open.setAttribute("aria-disabled", "true");
        copy.disabled = true;
        error.textContent = "No link: " + problem.message + ".";
        error.hidden = false;
      }
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) {
      event.preventDefault(); // Enter in a field must not reload the page
      update();
    });
    copy.addEventListener("click", function () {
      if (!link) return;
      const done = function () {
        status.textContent = "Copied.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(done, function () {
          status.textContent = "Copying is not allowed here: select the link and copy it.";
        });
      } else {
        const range = document.createRange();
        range.selectNodeContents(output);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
      }
    });
    update();
  }

  window.hubTraining = window.hubTraining || {};
  window.hubTraining.nbgitpullerUrl = nbgitpullerUrl;

  function start() {
    document.querySelectorAll("form.training-link-generator").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
