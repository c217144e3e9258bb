# Hello, hub!
#
# This script runs on your own server on the hub.
# In RStudio, click Source (top right of this script's pane): the answers appear in the Console.
# Nothing in this script changes any of your files.

# 1. Where is your home folder? It is the one place on the server that is kept when the server stops.
cat("Your home folder is", path.expand("~"), "\n")

# 2. How many processors may your server use? It runs on a machine it may share with other servers.
cat("The machine your server runs on has", parallel::detectCores(), "processors\n")
cat("Your server may use:", Sys.getenv("CPU_LIMIT", unset = "all of them"), "\n")

# 3. Who is the server running as? Your login name on the hub is not always the same.
cat("The server runs as the user", Sys.info()[["user"]], "\n")
cat(R.version.string, "on", Sys.info()[["sysname"]], "\n")
cat("You are logged in as", Sys.getenv("JUPYTERHUB_USER", unset = "not on the hub"), "\n")
