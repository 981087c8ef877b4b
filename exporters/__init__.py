"""Exporter protocol, registry and the built-in xlsx, json and ics exporters."""
