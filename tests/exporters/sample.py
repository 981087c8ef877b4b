"""A small, tricky dataset written through the ORM: formula-like text, non-ASCII, open and
fuzzy dates, money above 2^31, decimals, aliases, links and citations on every level."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.core import search_index
from service.core.models import (
    Budget,
    Citation,
    Document,
    Law,
    LawAlias,
    Milestone,
    Organisation,
    Plan,
    Region,
    Strategy,
    Target,
    Task,
    Technology,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)

STAMP = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
BIG_AMOUNT = 8_000_000_000_000  # 8 trillion won: above 2^31, exact below 2^53


async def add_sample(session: AsyncSession) -> None:
    doc = Document(
        slug="press-release",
        title="Digital Strategy of Korea — press release",
        publisher="MSIT",
        published_on=date(2022, 9, 28),
        language="en",
        url="https://www.msit.go.kr/eng/",
        updated_at=STAMP,
    )
    session.add(doc)
    await session.flush()
    ai = Technology(slug="ai", name="Artificial intelligence", updated_at=STAMP)
    g6 = Technology(slug="6g", name="=6G networks", updated_at=STAMP)
    korea = Region(slug="korea", name="Republic of Korea", kind="country", updated_at=STAMP)
    msit = Organisation(
        slug="msit",
        name="Ministry of Science and ICT",
        abbreviation="MSIT",
        kind="ministry",
        updated_at=STAMP,
    )
    law = Law(
        slug="digital-bill-of-rights",
        title="+Digital Bill of Rights",
        kind="charter",
        status="planned",
        status_text="to be announced in 2023",
        updated_at=STAMP,
    )
    plan = Plan(
        slug="digital-strategy-of-korea",
        title="Digital Strategy of Korea",
        announced_on=date(2022, 9, 28),
        document_id=doc.id,
        updated_at=STAMP,
    )
    session.add_all([ai, g6, korea, msit, law, plan])
    await session.flush()
    alias = LawAlias(law_id=law.id, alias="디지털 권리장전", document_id=doc.id, updated_at=STAMP)
    s1 = Strategy(
        code="DSK-I",
        plan_id=plan.id,
        position=1,
        label="I",
        title="-Global AI leadership",
        updated_at=STAMP,
    )
    s2 = Strategy(
        code="DSK-II",
        plan_id=plan.id,
        position=2,
        label="II",
        title="@Digital economy",
        updated_at=STAMP,
    )
    session.add_all([alias, s1, s2])
    await session.flush()
    t1 = Task(
        code="DSK-I-1",
        strategy_id=s1.id,
        position=1,
        title="AI semiconductors",
        description='=HYPERLINK("http://evil")',
        kind="task_statement",
        depth=1,
        outline_position=1,
        updated_at=STAMP,
    )
    t2 = Task(
        code="DSK-II-1",
        strategy_id=s2.id,
        position=1,
        title="Data economy",
        kind="task_statement",
        depth=1,
        outline_position=1,
        updated_at=STAMP,
    )
    session.add_all([t1, t2])
    await session.flush()
    t1a = Task(
        code="DSK-I-1-a",
        strategy_id=s1.id,
        parent_id=t1.id,
        position=1,
        label="(AI)",
        title="\tTab-led title",
        kind="initiative",
        depth=2,
        outline_position=2,
        updated_at=STAMP,
    )
    session.add(t1a)
    await session.flush()
    m1 = Milestone(
        task_id=t1.id,
        position=1,
        title="Launch",
        date_text="first half of 2023",
        edtf="2023-25",
        start_date=date(2023, 1, 1),
        end_date=date(2023, 6, 30),
        precision="half",
        kind="event",
        status="planned",
        revision=2,
        updated_at=STAMP,
    )
    m2 = Milestone(
        task_id=t2.id,
        position=1,
        title="Ongoing",
        date_text="2023~",
        edtf="2023/..",
        start_date=date(2023, 1, 1),
        end_date=None,
        precision="year",
        kind="start",
        status="in_progress",
        updated_at=STAMP,
    )
    m3 = Milestone(
        task_id=t1a.id,
        position=1,
        title="By 2027",
        date_text="by 2027",
        edtf="2027",
        start_date=None,
        end_date=date(2027, 12, 31),
        precision="year",
        kind="deadline",
        status="planned",
        updated_at=STAMP,
    )
    b1 = Budget(
        task_id=t1.id,
        position=1,
        amount=BIG_AMOUNT,
        currency="KRW",
        amount_text="KRW 8 trillion",
        kind="total",
        start_year=2022,
        end_year=2026,
        purpose="R&D",
        updated_at=STAMP,
    )
    b2 = Budget(
        task_id=t2.id,
        position=1,
        amount=123_456_789,
        currency="KRW",
        amount_text="KRW 123,456,789",
        kind="annual",
        start_year=2023,
        end_year=2023,
        purpose="=SUM(A1:A9)",
        updated_at=STAMP,
    )
    tg = Target(
        task_id=t1.id,
        position=1,
        metric="AI talent",
        value=Decimal("1000000"),
        comparator="at_least",
        unit="people",
        value_text="1 million",
        year=2027,
        baseline_value=Decimal("12.5"),
        baseline_year=2022,
        baseline_text="12.5",
        updated_at=STAMP,
    )
    session.add_all([m1, m2, m3, b1, b2, tg])
    await session.flush()
    await session.execute(
        task_technology.insert(),
        [
            {"task_id": t1.id, "technology_id": ai.id},
            {"task_id": t1.id, "technology_id": g6.id},
            {"task_id": t1a.id, "technology_id": ai.id},
        ],
    )
    await session.execute(task_region.insert(), [{"task_id": t2.id, "region_id": korea.id}])
    await session.execute(
        task_organisation.insert(), [{"task_id": t1.id, "organisation_id": msit.id}]
    )
    await session.execute(task_law.insert(), [{"task_id": t2.id, "law_id": law.id}])
    session.add_all(
        [
            Citation(
                document_id=doc.id,
                quote="Korea will become a digital model",
                plan_id=plan.id,
                updated_at=STAMP,
            ),
            Citation(
                document_id=doc.id, quote="AI semiconductors", task_id=t1.id, updated_at=STAMP
            ),
            Citation(document_id=doc.id, quote="@quote", task_id=t1.id, updated_at=STAMP),
            Citation(
                document_id=doc.id,
                quote="in the first half of 2023",
                milestone_id=m1.id,
                updated_at=STAMP,
            ),
            Citation(document_id=doc.id, quote="8 trillion won", budget_id=b1.id, updated_at=STAMP),
            Citation(document_id=doc.id, quote="권리장전", law_alias_id=alias.id, updated_at=STAMP),
            Citation(
                document_id=doc.id, quote="Digital Bill of Rights", law_id=law.id, updated_at=STAMP
            ),
        ]
    )
    await session.flush()
    await search_index.refresh(await session.connection())
    await session.commit()


@pytest.fixture
async def sample_client(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]
) -> httpx.AsyncClient:
    """The HTTP client over a database holding the sample (rolled back after the test)."""
    async with sessions() as session:
        await add_sample(session)
    return client
