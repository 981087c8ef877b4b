"""column comments: every column describes itself (the model's comment= is its description)

Revision ID: 0004_registry
Revises: 0003_harden_runtime
Create Date: 2026-12-01 22:20:00

SQLite keeps no column comments, so only PostgreSQL changes. A migration is a snapshot: the
comments are written out here, not read from the models.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_registry"
down_revision: str | None = "0003_harden_runtime"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, comment) at this revision.
COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("budget", "id", "Surrogate key of the row."),
    ("budget", "task_id", "The task the money is for."),
    ("budget", "position", "1-based position within the task."),
    ("budget", "amount", "Exact amount in the currency's unit (an integer, e.g. won)."),
    ("budget", "currency", "ISO 4217 currency code, e.g. KRW."),
    ("budget", "amount_text", "The amount as written in the source."),
    ("budget", "kind", "TOTAL over the period or ANNUAL for one year."),
    ("budget", "start_year", "First year the money covers."),
    ("budget", "end_year", "Last year the money covers."),
    ("budget", "purpose", "What the money is for."),
    ("budget", "updated_at", "When the record last changed (UTC)."),
    ("citation", "id", "Surrogate key of the row."),
    ("citation", "document_id", "The document quoted."),
    ("citation", "quote", "The supporting text, exactly as written."),
    ("citation", "plan_id", "The plan this quote supports (exactly one subject is set)."),
    ("citation", "strategy_id", "The strategy this quote supports (exactly one subject is set)."),
    ("citation", "task_id", "The task this quote supports (exactly one subject is set)."),
    ("citation", "milestone_id", "The milestone this quote supports (exactly one subject is set)."),
    ("citation", "budget_id", "The budget this quote supports (exactly one subject is set)."),
    ("citation", "law_id", "The law this quote supports (exactly one subject is set)."),
    ("citation", "law_alias_id", "The law alias this quote supports (exactly one subject is set)."),
    ("citation", "target_id", "The target this quote supports (exactly one subject is set)."),
    (
        "citation",
        "technology_id",
        "The technology this quote supports (exactly one subject is set).",
    ),
    ("citation", "region_id", "The region this quote supports (exactly one subject is set)."),
    (
        "citation",
        "organisation_id",
        "The organisation this quote supports (exactly one subject is set).",
    ),
    ("citation", "updated_at", "When the record last changed (UTC)."),
    ("data_version", "id", "Always 1: the table holds one row."),
    ("data_version", "version", "Bumped by the database on every write to a data table."),
    ("data_version", "changed_at", "When the version last changed (UTC)."),
    ("document", "id", "Surrogate key of the row."),
    ("document", "slug", "Stable short name."),
    ("document", "title", "Title of the document."),
    ("document", "publisher", "Who published it."),
    ("document", "published_on", "Publication date."),
    ("document", "language", "BCP 47 language tag of the text used."),
    ("document", "licence", "Licence of the text."),
    ("document", "url", "Where the document can be read."),
    ("document", "source_file", "File name of the text among the seed documents."),
    ("document", "summary", "A short summary of the document."),
    ("document", "updated_at", "When the record last changed (UTC)."),
    ("law", "id", "Surrogate key of the row."),
    ("law", "slug", "Stable short name."),
    ("law", "title", "Canonical title."),
    ("law", "kind", "What kind of legal text."),
    ("law", "status", "Where it stands."),
    ("law", "status_text", "The status as written."),
    ("law", "enacted_on", "When it was enacted, if it was."),
    (
        "law",
        "enacted_precision",
        "How precisely the enactment date is known (day, month, quarter, half, year).",
    ),
    ("law", "description", "What it covers."),
    ("law", "updated_at", "When the record last changed (UTC)."),
    ("law_alias", "id", "Surrogate key of the row."),
    ("law_alias", "law_id", "The law this name refers to."),
    ("law_alias", "alias", "Another name the documents use for the law."),
    ("law_alias", "document_id", "The document that uses this name."),
    ("law_alias", "updated_at", "When the record last changed (UTC)."),
    ("milestone", "id", "Surrogate key of the row."),
    ("milestone", "task_id", "The task this milestone belongs to."),
    ("milestone", "position", "1-based position within the task."),
    ("milestone", "title", "What is promised or happens."),
    ("milestone", "date_text", "The date as written in the source."),
    (
        "milestone",
        "edtf",
        "Extended Date/Time Format (ISO 8601-2) value, e.g. 2023-01/2023-06 or 2023/..",
    ),
    ("milestone", "start_date", "First day of the span; null when open."),
    ("milestone", "end_date", "Last day of the span; null when open."),
    ("milestone", "precision", "How precisely the date is known."),
    ("milestone", "kind", "How the date applies (event, start, deadline, period)."),
    ("milestone", "status", "Progress."),
    ("milestone", "revision", "Counts changes of the content (0 = original)."),
    ("milestone", "updated_at", "When the record last changed (UTC)."),
    ("organisation", "id", "Surrogate key of the row."),
    ("organisation", "slug", "Stable short name."),
    ("organisation", "name", "Name."),
    ("organisation", "abbreviation", "Abbreviation, e.g. MSIT."),
    ("organisation", "kind", "Kind of organisation."),
    ("organisation", "parent_id", "The organisation it belongs to."),
    ("organisation", "updated_at", "When the record last changed (UTC)."),
    ("plan", "id", "Surrogate key of the row."),
    ("plan", "slug", "Stable short name, e.g. digital-strategy-of-korea."),
    ("plan", "title", "Title of the plan."),
    ("plan", "announced_on", "When the plan was announced."),
    ("plan", "document_id", "The document that announced the plan."),
    ("plan", "summary", "A short summary."),
    ("plan", "updated_at", "When the record last changed (UTC)."),
    ("region", "id", "Surrogate key of the row."),
    ("region", "slug", "Stable short name."),
    ("region", "name", "Name."),
    ("region", "kind", "Kind of region."),
    ("region", "parent_id", "The enclosing region."),
    ("region", "updated_at", "When the record last changed (UTC)."),
    ("strategy", "id", "Surrogate key of the row."),
    ("strategy", "code", "Code unique across plans, e.g. DSK-I."),
    ("strategy", "plan_id", "The plan the strategy belongs to."),
    ("strategy", "position", "1-based position in the plan."),
    ("strategy", "label", 'The numbering as written, e.g. "1".'),
    ("strategy", "title", "Title of the strategy."),
    ("strategy", "description", "Longer description."),
    ("strategy", "updated_at", "When the record last changed (UTC)."),
    ("target", "id", "Surrogate key of the row."),
    ("target", "task_id", "The task that sets this target."),
    ("target", "position", "1-based position within the task."),
    ("target", "metric", "What is measured."),
    ("target", "value", "Target value as an exact decimal string."),
    ("target", "comparator", "How the value is meant."),
    ("target", "unit", "Unit of the value."),
    ("target", "value_text", "The target as written."),
    ("target", "year", "Year the target is for."),
    ("target", "baseline_value", "Baseline value as an exact decimal string."),
    ("target", "baseline_year", "Year of the baseline."),
    ("target", "baseline_text", "The baseline as written."),
    ("target", "updated_at", "When the record last changed (UTC)."),
    ("task", "id", "Surrogate key of the row."),
    ("task", "code", "Code unique across plans, extending the strategy's."),
    ("task", "strategy_id", "The strategy the task belongs to."),
    ("task", "parent_id", "The task this one is a sub-item of; null for top-level tasks."),
    ("task", "position", "1-based position under its strategy or parent."),
    ("task", "label", "The numbering or tag as written."),
    ("task", "title", "Title of the task."),
    ("task", "description", "Longer description."),
    ("task", "updated_at", "When the record last changed (UTC)."),
    ("task_law", "task_id", "The linked task."),
    ("task_law", "law_id", "The linked law."),
    ("task_organisation", "task_id", "The linked task."),
    ("task_organisation", "organisation_id", "The linked organisation."),
    ("task_region", "task_id", "The linked task."),
    ("task_region", "region_id", "The linked region."),
    ("task_technology", "task_id", "The linked task."),
    ("task_technology", "technology_id", "The linked technology."),
    ("technology", "id", "Surrogate key of the row."),
    ("technology", "slug", "Stable short name."),
    ("technology", "name", "Name."),
    ("technology", "updated_at", "When the record last changed (UTC)."),
)


def _set(comments: Sequence[tuple[str, str, str | None]]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, comment in comments:
        op.alter_column(table, column, comment=comment)


def upgrade() -> None:
    _set(COMMENTS)


def downgrade() -> None:
    _set([(table, column, None) for table, column, _ in COMMENTS])
