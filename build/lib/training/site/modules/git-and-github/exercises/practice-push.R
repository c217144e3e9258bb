# Practise git from R: clone, commit, push
#
# This script runs the same git commands you use with GitHub, against a practice remote in a
# temporary folder on your server. Nothing leaves your server, and no login is needed. With GitHub,
# only the address changes: https://github.com/<owner>/<repository>.git instead of file://...
# In RStudio, click Source (top right of this editor) and read the Console.

shown <- function(args) {
  # Quote an argument only where a terminal would need it, e.g. 'Add my first notes'.
  plain <- grepl("^[A-Za-z0-9_./:=@+-]+$", args)
  paste(ifelse(plain, args, shQuote(args, type = "sh")), collapse = " ")
}

git <- function(..., dir = NULL) {
  args <- c(...)
  cat("$ git", shown(args), "\n")
  if (!is.null(dir)) args <- c("-C", dir, args)
  # system2() hands its arguments to a shell: quote each one so spaces stay inside it.
  output <- suppressWarnings(system2("git", shQuote(args, type = "sh"), stdout = TRUE, stderr = TRUE))
  if (length(output)) cat(output, sep = "\n")
  status <- attr(output, "status")
  if (!is.null(status) && status != 0) stop("git ", args[[1]], " failed (exit code ", status, ")")
  invisible(output)
}

practice <- tempfile("git-practice-")  # in R's temporary folder: deleted when R stops
dir.create(practice)

# ---- GitHub's part: a repository with a README (a bare repository plays GitHub) ----
seed <- file.path(practice, "seed")
dir.create(seed)
git("init", "--quiet", "--initial-branch=main", dir = seed)
writeLines("# My analysis", file.path(seed, "README.md"))
git("add", "README.md", dir = seed)
git("-c", "user.name=GitHub", "-c", "user.email=noreply@github.com", "commit", "--quiet", "-m", "Initial commit", dir = seed)
remote <- file.path(practice, "my-analysis.git")
git("clone", "--quiet", "--bare", seed, remote)
remote_url <- paste0("file://", remote)

# ---- Your part: clone, change, commit, push ----
work <- file.path(practice, "my-analysis")
git("clone", remote_url, work)
git("remote", "-v", dir = work)

# Git needs a name and an email for each commit. Set yours once, in the Terminal tab:
#   git config --global user.name "Your Name"
# This practice repository gets a name of its own only if you have none yet.
email <- suppressWarnings(system2("git", shQuote(c("-C", work, "config", "user.email")), stdout = TRUE, stderr = FALSE))
if (length(email) == 0) {
  git("config", "user.name", "Hub Learner", dir = work)
  git("config", "user.email", "learner@users.noreply.github.com", dir = work)
}

writeLines("First result: the model runs on {{ hub.name }}.", file.path(work, "notes.md"))
git("status", "--short", dir = work)
git("add", "notes.md", dir = work)
git("commit", "-m", "Add my first notes", dir = work)
git("push", dir = work)

# The remote has your commit now, as GitHub's Commits page would show:
log <- git("--git-dir", remote, "log", "--oneline")
stopifnot(any(grepl("Add my first notes", log)))
git("status", dir = work)

# ---- YOUR TURN ----
# 1. Add a line to notes.md, then commit and push again: select the three lines below
#    (without the #) and run them with Ctrl+Enter.
# cat("Second result.\n", file = file.path(work, "notes.md"), append = TRUE)
# git("commit", "-am", "Add a second result", dir = work)
# git("push", dir = work)
# 2. Which part of these commands would change for a repository on GitHub?
