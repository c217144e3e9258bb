/* Search ranks the learner's pages first. Sphinx appends this to language_data.js, after its
   searchtools.js, on the search page; the build puts the site's learner pages, in the order of
   the self-paced path, in place of LEARNER_PAGES_IN_ORDER.
   - A page for another audience (instructors, maintainers) still matches, below every learner page.
   - A page whose title holds the words searched for comes first: "stop server" finds
     "Stopping your server" before pages that only mention stopping a server.
     A section's own title counts half: "log in" finds the page "Logging in" before the quick
     start's step "Log in", which only points at that page.
   - Ties go to the page that comes earlier in the path: the basics before the advanced. */
(() => {
  const LEARNER_PAGES = LEARNER_PAGES_IN_ORDER;
  const OTHER_AUDIENCE_PENALTY = 100; // more than any match scores in Sphinx
  const TITLE_BONUS = 30; // times the share of the searched words in the page's title
  const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
  const ignored = typeof stopwords !== "undefined" ? new Set(stopwords) : new Set();
  const stems = (text) =>
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word && !ignored.has(word))
      .map((word) => (stemmer ? stemmer.stemWord(word) : word));
  const searched = stems(new URLSearchParams(window.location.search).get("q") || "");

  Scorer.score = (result) => {
    const [docname, title, anchor, , score] = result;
    const place = LEARNER_PAGES.indexOf(docname);
    if (place === -1) return score - OTHER_AUDIENCE_PENALTY;
    const inTitle = new Set(stems(title));
    const share = searched.length ? searched.filter((stem) => inTitle.has(stem)).length / searched.length : 0;
    const bonus = anchor ? TITLE_BONUS / 2 : TITLE_BONUS;
    return score + bonus * share + (LEARNER_PAGES.length - place) / LEARNER_PAGES.length;
  };
})();
