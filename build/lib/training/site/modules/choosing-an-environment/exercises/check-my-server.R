# What did I choose on the Server Options page?
#
# The hub tells your server what you chose. In RStudio, click Source (top right of this
# script's pane): the answers appear in the Console. Compare them with your choice.

# 1. The image: the software on your server
cat("Image:", Sys.getenv("JUPYTER_IMAGE_SPEC", unset = "not set"), "\n")

# 2. Memory and processors: the limits are what your server may use.
gigabytes <- function(variable) {
  value <- Sys.getenv(variable)
  if (value == "") "not set" else sprintf("%.1f GB", as.numeric(value) / 1024^3)
}
cat("Memory limit:", gigabytes("MEM_LIMIT"), "\n")
cat("Memory guaranteed:", gigabytes("MEM_GUARANTEE"), "\n")
cat("CPU limit:", Sys.getenv("CPU_LIMIT", unset = "not set"), "\n")
cat("Processors of the machine your server runs on:", parallel::detectCores(), "\n")
# Your server shares a bigger machine: the CPU limit, not the machine's processors, is what it may use.
