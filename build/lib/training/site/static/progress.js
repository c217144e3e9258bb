/* Hub Training: which modules a learner has done, kept only in this browser (see training/progress.py).
 *
 * One localStorage key per hub, "hub-training:<hub id>:progress": {"version": 1, "done": {"<module id>": "<ISO date>"}}.
 * Other scripts (quiz.js) use window.hubTraining.progress; every change fires a
 * "hub-training:progress" event on document, so all controls on the page stay in step (and the
 * "storage" event keeps other tabs in step).
 */
(function () {
  "use strict";

  // One key per hub: two hub sites served from one origin keep their own progress.
  const hubMeta = document.querySelector('meta[name="training-hub"]');
  const KEY = "hub-training:" + (hubMeta ? hubMeta.content + ":" : "") + "progress";
  const VERSION = 1;
  const EVENT = "hub-training:progress";
  let memory = null; // used when localStorage is refused (some privacy modes): progress lasts the visit

  function empty() {
    return { version: VERSION, done: {} };
  }

  function load() {
    let raw = null;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (error) {
      return memory || empty();
    }
    if (!raw) return empty();
    try {
      const data = JSON.parse(raw);
      if (data && data.version === VERSION && data.done && typeof data.done === "object") return data;
    } catch (error) {
      /* a damaged value: start again rather than break the page */
    }
    return empty();
  }

  function save(state) {
    try {
      if (Object.keys(state.done).length) {
        window.localStorage.setItem(KEY, JSON.stringify(state));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      memory = state;
    }
    document.dispatchEvent(new CustomEvent(EVENT));
  }

  const progress = {
    isDone(id) {
      return Object.prototype.hasOwnProperty.call(load().done, id);
    },
    setDone(id, done) {
      const state = load();
      if (done) state.done[id] = state.done[id] || new Date().toISOString();
      else delete state.done[id];
      save(state);
    },
    doneIds() {
      return Object.keys(load().done);
    },
    reset() {
      save(empty());
    },
  };
  window.hubTraining = window.hubTraining || {};
  window.hubTraining.progress = progress;

  function onChange(callback) {
    document.addEventListener(EVENT, callback);
    window.addEventListener("storage", (event) => {
      if (event.key === KEY || event.key === null) callback();
    });
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Same form as module_info.format_minutes: 95 -> "1 h 35 min". */
  function formatMinutes(total) {
    const hours = Math.floor(total / 60);
    const rest = total % 60;
    if (hours && rest) return hours + " h " + rest + " min";
    return hours ? hours + " h" : rest + " min";
  }

  /* Module page: the slot becomes a toggle button with a status line. */
  function setUpSlot(slot) {
    const id = slot.dataset.module;
    if (!id) return;
    const button = make("button", "training-button training-progress-toggle", "Mark this module as done");
    button.type = "button";
    const status = make("p", "training-progress-status");
    status.setAttribute("role", "status");
    function render() {
      const done = progress.isDone(id);
      button.setAttribute("aria-pressed", String(done));
      status.textContent = done
        ? "Done. Saved in this browser only."
        : "Not done yet. Your progress is saved in this browser only.";
    }
    button.addEventListener("click", () => progress.setDone(id, button.getAttribute("aria-pressed") !== "true"));
    render();
    slot.replaceChildren(button, status);
    onChange(render);
  }

  /* Start-here page: "Done" marks, time left, and the reset control. */
  function setUpPath(list) {
    const items = Array.from(list.querySelectorAll("li[data-module]"));
    let summary = list.nextElementSibling;
    while (summary && !summary.matches(".training-path-summary")) summary = summary.nextElementSibling;

    let left = null;
    if (summary) {
      left = make("span", "training-path-left");
      summary.append(" ", left);
    }

    function render() {
      let minutesLeft = 0;
      let doneCount = 0;
      for (const item of items) {
        const done = progress.isDone(item.dataset.module);
        // Inside the item's paragraph when it has one, so the mark sits on the same line.
        const holder = item.querySelector(":scope > p:last-of-type") || item;
        let badge = holder.querySelector(":scope > .training-done-badge");
        if (done && !badge) {
          badge = make("span", "training-done-badge");
          const tick = make("span", "training-done-tick", "✓");
          tick.setAttribute("aria-hidden", "true");
          badge.append(tick, " Done");
          holder.append(" ", badge);
        } else if (!done && badge) {
          const space = badge.previousSibling;
          if (space && space.nodeType === Node.TEXT_NODE && space.textContent === " ") space.remove();
          badge.remove();
        }
        item.classList.toggle("training-path-done", done);
        if (done) doneCount += 1;
        else minutesLeft += Number(item.dataset.minutes) || 0;
      }
      if (left) {
        left.textContent =
          doneCount === items.length && items.length
            ? `You have done all ${items.length} modules.`
            : `You have done ${doneCount} of ${items.length} modules; ${formatMinutes(minutesLeft)} left.`;
      }
    }
    render();
    onChange(render);
    setUpReset(summary || list, render);
  }

  let resetCount = 0;

  /* "Reset my progress", with a confirm step; keyboard: Enter/Space on the buttons, Escape cancels. */
  function setUpReset(after, render) {
    const box = make("div", "training-progress-reset");
    const open = make("button", "training-button training-button-secondary training-reset-open", "Reset my progress");
    open.type = "button";
    resetCount += 1;
    const confirmId = "training-reset-confirm-" + resetCount;
    open.setAttribute("aria-expanded", "false");
    open.setAttribute("aria-controls", confirmId);

    const confirmBox = make("div", "training-reset-confirm");
    confirmBox.id = confirmId;
    confirmBox.hidden = true;
    confirmBox.setAttribute("role", "group");
    const question = make("p", "training-reset-question", "Forget which modules you have done, in this browser?");
    question.id = confirmId + "-question";
    confirmBox.setAttribute("aria-labelledby", question.id);
    const yes = make("button", "training-button training-reset-yes", "Yes, reset my progress");
    yes.type = "button";
    const no = make("button", "training-button training-button-secondary training-reset-no", "Cancel");
    no.type = "button";
    confirmBox.append(question, yes, " ", no);

    const status = make("p", "training-reset-status");
    status.setAttribute("role", "status");

    function close() {
      confirmBox.hidden = true;
      open.setAttribute("aria-expanded", "false");
      open.focus();
    }
    open.addEventListener("click", () => {
      status.textContent = "";
      confirmBox.hidden = false;
      open.setAttribute("aria-expanded", "true");
      yes.focus();
    });
    yes.addEventListener("click", () => {
      progress.reset();
      render();
      close();
      status.textContent = "Your progress was reset.";
    });
    no.addEventListener("click", close);
    confirmBox.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });

    box.append(open, confirmBox, status);
    after.after(box);
  }

  function start() {
    document.querySelectorAll(".training-progress-slot[data-module]").forEach(setUpSlot);
    document.querySelectorAll("ol.training-path").forEach(setUpPath);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
