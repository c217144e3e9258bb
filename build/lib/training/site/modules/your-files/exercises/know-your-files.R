# Know your files on {{ hub.name }}
#
# This script looks at your home folder: how much space it uses, what uses it, and where you can
# write. Then it packs a folder into one file for you to download. In RStudio, click Source (top
# right of this editor) and read the Console. Nothing here deletes your own files: clean_up(), at
# the end, removes only what this script made.

home <- normalizePath("~")
cat("Your home folder is", home, "\n\n")

# ---- 1. How much space does it use? ----
# The size of every file under your home folder, hidden ones included. Folders you cannot write
# to (such as a read-only shared folder) are not yours and are left out.

readable <- function(size) {
  units <- c("B", "KB", "MB", "GB")
  i <- 1
  while (size >= 1000 && i < length(units)) {
    size <- size / 1000
    i <- i + 1
  }
  if (i == 1) paste(size, "B") else sprintf("%.1f %s", size, units[i])
}

writable <- function(path) file.access(path, 2) == 0

folder_size <- function(folder) {
  files <- list.files(folder, recursive = TRUE, all.files = TRUE, full.names = TRUE, no.. = TRUE)
  sum(file.size(files), na.rm = TRUE)
}

entries <- list.files(home, all.files = TRUE, full.names = TRUE, no.. = TRUE)
sizes <- c()
for (entry in sort(entries)) {
  name <- basename(entry)
  if (dir.exists(entry)) {
    if (!writable(entry)) {
      cat(sprintf("%-30s read-only, not counted\n", paste0(name, "/")))
      next
    }
    sizes[paste0(name, "/")] <- folder_size(entry)
  } else {
    sizes[name] <- file.size(entry)
  }
}
sizes <- sort(sizes)
for (name in names(sizes)) cat(sprintf("%-30s %10s\n", name, readable(sizes[[name]])))
cat(sprintf("%-30s %10s\n", "Total", readable(sum(sizes))))
# Names starting with a dot are hidden in the Files tab, but they use space too.

# ---- 2. Your five largest files ----
cat("\nYour five largest files:\n")
mine <- c(entries[!dir.exists(entries)], entries[dir.exists(entries) & writable(entries)])
all_files <- unlist(lapply(mine, function(entry) {
  if (dir.exists(entry)) list.files(entry, recursive = TRUE, all.files = TRUE, full.names = TRUE, no.. = TRUE) else entry
}))
info <- data.frame(file = all_files, size = file.size(all_files))
info <- head(info[order(-info$size), ], 5)
for (i in seq_len(nrow(info))) {
  cat(sprintf("%10s  %s\n", readable(info$size[i]), sub(paste0(home, "/"), "", info$file[i], fixed = TRUE)))
}

# ---- 3. Where can you write? ----
# /tmp (and R's own tempdir() inside it) is writable and fast, but it is emptied when your server stops.
cat("\nWhere you can write:\n")
places <- c(entries[dir.exists(entries)], tempdir(), "/tmp")
for (place in places) cat(sprintf("%-40s %s\n", place, if (writable(place)) "writable" else "read-only"))

# ---- 4. Pack a folder for download ----
# A small folder of "results", packed into one file, as tar -czf does in a terminal.
practice <- file.path(home, "your-files-practice")
results <- file.path(practice, "practice-results")
dir.create(results, recursive = TRUE, showWarnings = FALSE)
write.csv(data.frame(station = c("A", "B", "C"), mean_temperature = c(12.1, 13.9, 9.8)),
          file.path(results, "summary.csv"), row.names = FALSE)
writeLines("Results made on the hub, packed for download.", file.path(results, "notes.txt"))

archive <- file.path(practice, "practice-results.tar.gz")
old <- setwd(practice)
utils::tar(archive, "practice-results", compression = "gzip", tar = "internal")
setwd(old)
cat("\nMade", sub(paste0(home, "/"), "", archive, fixed = TRUE), sprintf("(%s)", readable(file.size(archive))), "\n")
cat("It contains:", paste(sort(utils::untar(archive, list = TRUE)), collapse = ", "), "\n")

# ---- 5. Clean up, when you have downloaded the archive ----
# Download your-files-practice/practice-results.tar.gz: in the Files tab, open your-files-practice,
# tick the archive, then More > Export... and Download.
# Then type clean_up() in the Console and press Enter. It deletes only the your-files-practice
# folder this script made, for good (there is no Trash), and prints the size of your home folder again.
clean_up <- function() {
  unlink(practice, recursive = TRUE)
  cat("Deleted your-files-practice\n")
  left <- list.files(home, all.files = TRUE, full.names = TRUE, no.. = TRUE)
  left <- left[!dir.exists(left) | writable(left)]
  cat("Your home folder now uses", readable(sum(sapply(left, function(e) if (dir.exists(e)) folder_size(e) else file.size(e)))), "\n")
}
cat("\nWhen you have downloaded the archive, type clean_up() in the Console to delete your-files-practice.\n")
