# First steps in RStudio on the hub
#
# Put the cursor on a line and press Ctrl+Enter (Cmd+Enter on a Mac), or click
# Run above this pane: RStudio sends the line to the Console and moves on.
# Watch where each result appears.

# 1. Which R is this, and which folder are you in?
#    The answers appear in the Console (bottom left).
R.version.string
getwd()

# 2. Make some data. `heights` appears in the Environment pane (top right).
heights <- c(152, 160, 171, 168, 180, 175, 158)
mean(heights)
summary(heights)

# 3. A plot. It appears in the Plots tab (bottom right).
hist(heights, main = "Heights", xlab = "Height (cm)", col = "grey")

# 4. Where would install.packages() put a package?
#    TRUE: inside your home folder, so packages you install stay.
#    FALSE: inside the software image, so they are gone when your server stops.
.libPaths()[1]
startsWith(normalizePath(.libPaths()[1]), normalizePath("~"))

# 5. Save this script with Ctrl+S. Then click the Terminal tab next to the
#    Console, type  ls  and press Enter.
