# The facts to put in a help request, from R
#
# When you ask {{ hub.support.name }} for help, a few facts save a round of questions: which hub,
# which username, which server and image, which versions, and when. JupyterHub gives every server
# environment variables whose names start with JUPYTERHUB_; this script reads the useful ones.
# It never prints a token or a password. In RStudio, click Source (top right of this editor).

hub_url <- "{{ hub.url }}"  # the address of {{ hub.name }}, filled in when these materials were made

help_facts <- function(env) {
  get <- function(name) if (!is.null(env[[name]]) && nzchar(env[[name]])) env[[name]] else NA
  facts <- list(`Hub address` = hub_url)
  user <- get("JUPYTERHUB_USER")
  if (!is.na(user)) {
    facts$Username <- user
    # The server's own address: JupyterHub sets it when the hub knows its public URL;
    # otherwise it is the hub's host followed by the server's path (/user/<name>/).
    origin <- regmatches(hub_url, regexpr("^[a-z]+://[^/]+", hub_url))
    prefix <- get("JUPYTERHUB_SERVICE_PREFIX")
    public <- get("JUPYTERHUB_PUBLIC_URL")
    facts$`My server` <- if (!is.na(public)) public else paste0(origin, if (is.na(prefix)) "" else prefix)
  } else {
    facts$Username <- "(not on a hub: no JUPYTERHUB_USER here)"
  }
  image <- get("JUPYTER_IMAGE")
  if (is.na(image)) image <- get("JUPYTER_IMAGE_SPEC")
  facts$Image <- if (is.na(image)) "(this hub does not say)" else image
  facts$R <- R.version.string
  facts$`Operating system` <- utils::sessionInfo()$running
  facts$`Time now (UTC)` <- format(Sys.time(), "%Y-%m-%d %H:%M UTC", tz = "UTC")
  facts$`Server clock` <- format(Sys.time(), "%H:%M %Z")
  facts
}

show_facts <- function(facts) {
  for (name in names(facts)) cat(sprintf("%-18s %s\n", paste0(name, ":"), facts[[name]]))
}

show_facts(help_facts(as.list(Sys.getenv())))

# Only the NAMES of the JUPYTERHUB_ variables: some values, like JUPYTERHUB_API_TOKEN, are secrets.
found <- sort(grep("^JUPYTERHUB_", names(Sys.getenv()), value = TRUE))
cat("\nJupyterHub variables:", if (length(found)) paste(found, collapse = ", ") else "(none: not a JupyterHub server)", "\n")

# ---- YOUR TURN ----
# Fill in this request for a problem you had, real or made up, with the time in YOUR time zone.
# Never paste a token or a password into it.
facts <- help_facts(as.list(Sys.getenv()))
cat(
  "\n",
  "Hub: ", facts$`Hub address`, "\n",
  "Username: ", facts$Username, "\n",
  "Image: ", facts$Image, "\n",
  "What I did: (the steps, what I clicked or ran)\n",
  "What I expected:\n",
  "What happened: (the exact error text, copied)\n",
  "When: (date, time and time zone)\n",
  "Does it happen again? (yes / no / sometimes)\n",
  sep = ""
)
