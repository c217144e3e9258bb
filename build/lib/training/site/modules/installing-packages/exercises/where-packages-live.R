# Where do R packages live on {{ hub.name }}?
#
# Your server has two kinds of folders: your home folder, which is kept when the server stops,
# and everything else (the software of the image), which starts fresh at every start.
# This script shows where R looks for packages, and where install.packages() would put a new one.
# It installs nothing. In RStudio, click Source (top right of this editor) and read the Console.

home <- normalizePath(path.expand("~"))

kept <- function(path) {
  path <- normalizePath(path, mustWork = FALSE)
  if (path == home || startsWith(path, paste0(home, "/"))) {
    "inside your home folder: kept when the server stops"
  } else {
    "outside your home folder: reset when the server stops"
  }
}

writable <- function(path) {
  if (file.access(path, 2) == 0) "you can write here" else "read-only for you"
}

cat(R.version.string, "\n")
cat("Your home folder:", home, "\n\n")

# R searches these library folders in order.
for (lib in .libPaths()) {
  cat(lib, "\n    ", paste0(kept(lib), "; ", writable(lib)), "\n", sep = "")
}

# install.packages() puts a new package in the first one.
cat("\ninstall.packages() would install into:", .libPaths()[1], "\n")
cat("    ", kept(.libPaths()[1]), "\n", sep = "")

# Your personal library: R adds it to the front of .libPaths() only when it exists when R starts.
personal <- Sys.getenv("R_LIBS_USER")
cat("\nYour personal library:", personal, "\n")
cat("    exists now:", dir.exists(path.expand(personal)), "\n")
cat("    ", kept(path.expand(personal)), "\n", sep = "")

# Where does an installed package come from?
cat("\n")
for (name in c("terra", "stars", "ggplot2", "utils")) {
  where <- find.package(name, quiet = TRUE)
  cat(sprintf("%-10s %s\n", name, if (length(where)) dirname(where) else "not installed"))
}

# ---- YOUR TURN ----
# 1. Which of the folders above will still hold a package after your server stops and starts again?
# 2. Remove the # in the next line and run it (Ctrl+Enter) to install a package for this session.
#    Stop your server, start it again, and run library(cmocean). What happens, and why?
# install.packages("cmocean")
