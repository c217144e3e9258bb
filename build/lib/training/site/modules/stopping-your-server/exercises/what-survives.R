# What survives a stop?
#
# This script leaves three things on your server: a file in your home folder, a file in /tmp,
# and a variable in memory. Then you stop your server, start it again, and check which are left.

# ---- BEFORE YOU STOP: select these lines and click Run ----
stamp <- format(Sys.time(), "%Y-%m-%dT%H:%M:%S")
in_home <- file.path(path.expand("~"), "what-survives.txt")
in_tmp <- "/tmp/what-survives.txt"
writeLines(paste("written", stamp), in_home)
writeLines(paste("written", stamp), in_tmp)
remembered <- paste("a variable set", stamp)
cat("Wrote", in_home, "and", in_tmp, "\n")
cat("Now stop your server from the Hub Control Panel (open the hub's address followed by /hub/home).\n")

# ---- AFTER YOU START AGAIN: select these lines and click Run ----
for (path in c(file.path(path.expand("~"), "what-survives.txt"), "/tmp/what-survives.txt")) {
  if (file.exists(path)) {
    cat("still there:", path, "-", readLines(path), "\n")
  } else {
    cat("gone:       ", path, "\n")
  }
}
if (exists("remembered")) {
  cat("still there: the variable -", remembered, "\n")
} else {
  cat("gone:        the variable\n")
}
