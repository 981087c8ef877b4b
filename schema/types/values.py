"""Value objects: fuzzy dates, money, quantities."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.types.enums import DatePrecisionEnum


@strawberry.type(
    description='A date as a policy text gives it ("first half of 2023", "2023~"), with its '
    "EDTF value and the inclusive span it covers. Either bound may be open (null)."
)
class FuzzyDate:
    text: str = strawberry.field(description="The date as written in the source.")
    edtf: str = strawberry.field(
        description="Extended Date/Time Format (ISO 8601-2) value, e.g. 2023-01/2023-06 or 2023/.."
    )
    start: date | None = strawberry.field(description="First day of the span; null when open.")
    end: date | None = strawberry.field(description="Last day of the span; null when open.")
    precision: DatePrecisionEnum = strawberry.field(description="How precisely the date is known.")

    @classmethod
    def of_parts(
        cls, text: str, edtf: str, start: date | None, end: date | None, precision: str
    ) -> FuzzyDate:
        """The value of a registry fuzzy-date composite's columns."""
        return cls(text=text, edtf=edtf, start=start, end=end, precision=precision)  # type: ignore[arg-type]


@strawberry.type(description="An exact amount of money.")
class Money:
    amount: str = strawberry.field(
        description="Exact decimal amount in the currency's unit, as a string (no float rounding)."
    )
    currency: str = strawberry.field(description="ISO 4217 currency code, e.g. KRW.")
