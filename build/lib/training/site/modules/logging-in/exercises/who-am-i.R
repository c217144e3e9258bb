# Who does the hub think you are?
#
# When the hub starts your server, it tells the server who you are.
# In RStudio, click Source (top right of this script's pane): the answers appear in the Console.

# 1. Your username on the hub
username <- Sys.getenv("JUPYTERHUB_USER", unset = "not on the hub")
cat("Your username on the hub is:", username, "\n")

# 2. The address of your own server: the hub's address, then /user/ and your username.
#    JUPYTERHUB_SERVICE_PREFIX is that path; the hub sets it on your server.
prefix <- Sys.getenv("JUPYTERHUB_SERVICE_PREFIX", unset = paste0("/user/", username, "/"))
cat("Your server's path on the hub is:", prefix, "\n")
cat("Only you can open it; anybody else who tries is sent to the hub's login page.\n")
