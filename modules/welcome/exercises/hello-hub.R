# Hello, hub!
#
# This script runs on your own server on the hub.
# In RStudio, click Source (top right of this script's pane): the answers appear in the Console.
# Nothing in this script changes any of your files.

# 1. Where is your home folder? It is the one place on the server that is kept when the server stops.
cat("Your home folder is", path.expand("~"), "\n")

# 2. How big is your server? It is a computer of its own.
cat("This server has", parallel::detectCores(), "processors\n")

# 3. Who is the server running as? Your login name on the hub is not always the same.
cat("The server runs as the user", Sys.info()[["user"]], "\n")
cat(R.version.string, "on", Sys.info()[["sysname"]], "\n")
cat("You are logged in as", Sys.getenv("JUPYTERHUB_USER", unset = "not on the hub"), "\n")
