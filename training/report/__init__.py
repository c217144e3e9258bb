"""``hub-training report``: the onboarding report for the people who pay for a hub (API client, homes reader, writer)."""
