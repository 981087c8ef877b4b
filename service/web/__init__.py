"""The HTTP layer: Starlette handlers for exports, calendars, the page and health."""
