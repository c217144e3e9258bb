/* Hub Training: self-check quizzes (see training/quiz.py). Nothing leaves the page.
 *
 * The answers and the feedback per option are read from the quiz's own <details> block
 * (li[data-option][data-correct] .training-quiz-explanation), which is what readers without
 * JavaScript open. The "Check answer" button writes its verdict into the quiz's aria-live region.
 * When every quiz of a module page is answered right, the module is marked done (progress.js).
 */
(function () {
  "use strict";

  const passed = new Map(); // quiz element -> answered right at the last check

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function moduleOf(quiz) {
    if (quiz.dataset.module) return quiz.dataset.module;
    const marker = document.querySelector(
      ".training-module-overview[data-module], .training-progress-slot[data-module]",
    );
    return marker ? marker.dataset.module : null;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function verdictText(quiz, wrongChosen, missed) {
    if (!wrongChosen && !missed) return "Correct!";
    if (quiz.dataset.quizType !== "multiple") return "Not quite. Read the feedback and try again.";
    const parts = [];
    if (wrongChosen) parts.push(wrongChosen + (wrongChosen === 1 ? " of your choices is" : " of your choices are") + " wrong");
    if (missed) parts.push("you missed " + plural(missed, "right answer"));
    return "Not quite: " + parts.join(", and ") + ". Try again.";
  }

  function markModuleIfAllPassed(quiz, feedback) {
    const module = moduleOf(quiz);
    const api = window.hubTraining && window.hubTraining.progress;
    if (!module || !api) return;
    const same = Array.from(passed.keys()).filter((other) => moduleOf(other) === module);
    if (!same.every((other) => passed.get(other))) return;
    const wasDone = api.isDone(module);
    api.setDone(module, true);
    if (!wasDone) {
      feedback.append(
        make("p", "training-quiz-module-done", "You answered every question on this page: this module is marked as done."),
      );
    }
  }

  function setUp(quiz) {
    const button = quiz.querySelector(".training-quiz-check");
    const feedback = quiz.querySelector(".training-quiz-feedback");
    const inputs = Array.from(quiz.querySelectorAll(".training-quiz-options input"));
    if (!button || !feedback || !inputs.length) return;
    const answers = new Map();
    quiz.querySelectorAll(".training-quiz-answer[data-option]").forEach((item) => {
      answers.set(item.dataset.option, {
        correct: item.dataset.correct === "true",
        explanation: item.querySelector(".training-quiz-explanation"),
      });
    });
    passed.set(quiz, false);

    function labelOf(input) {
      const label = quiz.querySelector('label[for="' + CSS.escape(input.id) + '"]');
      return label ? label.textContent.trim() : input.value;
    }

    function check() {
      const chosen = inputs.filter((input) => input.checked);
      const content = [];
      let state = "";
      if (!chosen.length) {
        content.push(make("p", "training-quiz-result", "Choose an answer first."));
      } else {
        const wrongChosen = chosen.filter((input) => !answers.get(input.id).correct).length;
        const missed = inputs.filter((input) => !input.checked && answers.get(input.id).correct).length;
        const right = !wrongChosen && !missed;
        state = right ? "correct" : "incorrect";
        passed.set(quiz, right);
        const verdict = make("p", "training-quiz-result");
        verdict.append(make("strong", "", verdictText(quiz, wrongChosen, missed)));
        content.push(verdict);
        const list = make("ul", "training-quiz-choices");
        for (const input of chosen) {
          const answer = answers.get(input.id);
          const item = make("li", "training-quiz-choice");
          const head = make("p", "training-quiz-choice-head");
          head.append(
            "You chose “" + labelOf(input) + "”: ",
            make("strong", "", answer.correct ? "right." : "wrong."),
          );
          item.append(head);
          if (answer.explanation && answer.explanation.childNodes.length) {
            const explanation = answer.explanation.cloneNode(true);
            explanation.removeAttribute("id");
            item.append(explanation);
          }
          list.append(item);
        }
        content.push(list);
      }
      quiz.dataset.state = state;
      // Empty first, then fill: a live region repeats nothing if the new text equals the old one.
      feedback.replaceChildren();
      window.setTimeout(() => {
        feedback.replaceChildren(...content);
        if (state === "correct") markModuleIfAllPassed(quiz, feedback);
      }, 50);
    }

    button.hidden = false;
    button.addEventListener("click", check);
    for (const input of inputs) {
      input.addEventListener("change", () => {
        quiz.dataset.state = "";
        feedback.replaceChildren();
      });
    }
  }

  function start() {
    document.querySelectorAll(".training-quiz").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
