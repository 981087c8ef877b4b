"""Compiled execution: a validated operation becomes one SQL statement that builds its JSON.

``planner`` walks the selection (collect-fields rules) into a plan tree, checking arguments
with the resolvers' own code; ``sql`` renders that tree for PostgreSQL or SQLite; ``executor``
runs it and splices the bytes into the response, leaving what it does not cover to the
resolvers.
"""
