"""The screenshot machinery: a local replica of a hub, a real browser, and the walkthroughs they replay."""
