"""Data core, settings, HTTP app and CLI of stratagraph."""
