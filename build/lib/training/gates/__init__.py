"""Quality gates on a built site: links, self-contained, leaks, escaped values."""
