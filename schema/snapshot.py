"""Write the SDL snapshot ``schema/schema.graphql``: ``python -m schema.snapshot``."""

from __future__ import annotations

from pathlib import Path

from schema.build import build_schema

SNAPSHOT = Path(__file__).parent / "schema.graphql"


def main() -> None:
    SNAPSHOT.write_text(build_schema().as_str() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
