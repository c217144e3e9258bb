/* Hub Training: the instructor view (see training/instructor.py).
 *
 * Instructor notes are in the page as <div data-instructor-note hidden>. This script adds an
 * "Instructor view" toggle button (aria-pressed) to the page header and shows or hides the notes.
 * The choice is remembered in localStorage ("hub-training:view"); ?view=instructor or ?view=learner
 * in the address sets it too, so a teaching assistant can share a link that opens in that view.
 */
(function () {
  "use strict";

  const KEY = "hub-training:view";
  const VIEWS = ["learner", "instructor"];
  let remembered = "learner"; // when localStorage is refused, the choice lasts the visit

  function stored() {
    try {
      return window.localStorage.getItem(KEY) || remembered;
    } catch (error) {
      return remembered;
    }
  }

  function remember(view) {
    remembered = view;
    try {
      window.localStorage.setItem(KEY, view);
    } catch (error) {
      /* private mode: fine, see `remembered` */
    }
  }

  function fromAddress() {
    const view = new URLSearchParams(window.location.search).get("view");
    return VIEWS.includes(view) ? view : null;
  }

  function apply(view, button) {
    const instructor = view === "instructor";
    document.documentElement.dataset.trainingView = view;
    document.querySelectorAll("[data-instructor-note]").forEach((note) => {
      note.hidden = !instructor;
    });
    if (button) button.setAttribute("aria-pressed", String(instructor));
  }

  function makeButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm training-view-toggle";
    button.textContent = "Instructor view";
    button.title = "Show the notes for instructors on every page";
    return button;
  }

  function place(button) {
    // The book theme's header buttons (sphinx-book-theme: .article-header-buttons); else above the article.
    const header = document.querySelector(".article-header-buttons");
    if (header) {
      header.prepend(button);
      return;
    }
    const main = document.querySelector("main, [role='main'], article, body");
    main.prepend(button);
  }

  function start() {
    const requested = fromAddress();
    if (requested) remember(requested);
    const button = makeButton();
    place(button);
    apply(stored(), button);

    button.addEventListener("click", () => {
      const view = button.getAttribute("aria-pressed") === "true" ? "learner" : "instructor";
      remember(view);
      apply(view, button);
      // Keep a shared ?view= in step, so a reload does not switch back.
      if (fromAddress()) {
        const url = new URL(window.location.href);
        url.searchParams.set("view", view);
        window.history.replaceState(window.history.state, "", url);
      }
    });
    window.addEventListener("storage", (event) => {
      if (event.key === KEY || event.key === null) apply(stored(), button);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
