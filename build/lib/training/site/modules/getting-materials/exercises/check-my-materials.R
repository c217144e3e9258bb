# Check your materials
#
# You opened this script with a link. nbgitpuller copied the training
# materials into your home folder first. Put the cursor on a line and press
# Ctrl+Enter (Cmd+Enter on a Mac) to run it.

# 1. Where are the materials? In a folder of your home folder, named after
#    the materials repository. RStudio's Files pane shows it too.
here <- Sys.glob(file.path(path.expand("~"), "*", "getting-materials", "check-my-materials.R"))
materials <- if (length(here)) dirname(dirname(here[1])) else NA
materials

# 2. Your own change: change the text between the quotes, run the line, and
#    save this script (Ctrl+S). Then click the link again: your text is
#    still here.
my_answer <- "Write your own text here"
print(my_answer)

# 3. Files nbgitpuller renamed: when an update brings a file with the same
#    name as a file you made yourself, nbgitpuller renames yours, adding two
#    underscores and the date and time before the extension, like
#    notes__20261126143005.txt. This lists such files in the materials.
files <- if (is.na(materials)) character(0) else list.files(materials, recursive = TRUE)
files[grepl("__[0-9]{14}(\\.[^/]*)?$", files)]

# 4. What nbgitpuller did: the history of the materials folder. "Automatic
#    commit by nbgitpuller" marks where it saved your changes before an
#    update. (In the Terminal tab, git log --oneline -5 in that folder shows
#    the same.)
if (!is.na(materials)) system2("git", c("-C", shQuote(materials), "log", "--oneline", "-5"))
