"""Every curated record cites its document with a quote found verbatim in the seed text."""

from __future__ import annotations

from seed.loader import DATA_DIR
from seed.parse import read_dataset
from seed.quotes import seed_texts_dir
from seed.records import Cite, Dataset
from tests.support.ci import unavailable

SEEDS = seed_texts_dir()  # ../shared/seeds next to the checkout, or STRATAGRAPH_SEED_TEXTS


def _texts(dataset: Dataset) -> dict[str, str]:
    texts: dict[str, str] = {}
    for document in dataset.documents:
        source_file = document.values["source_file"]
        assert source_file, f"document {document.slug} has no source_file"
        if SEEDS is None:
            unavailable("seed texts not found in ../shared/seeds (set STRATAGRAPH_SEED_TEXTS)")
        path = SEEDS / source_file
        if not path.exists():
            unavailable(f"seed text {path} is not available")
        texts[document.slug] = path.read_text(encoding="utf-8")
    return texts


def _all_cited(dataset: Dataset) -> list[tuple[str, list[Cite]]]:
    records: list[tuple[str, list[Cite]]] = []
    records += [(f"plan {p.slug}", p.cites) for p in dataset.plans]
    records += [(f"strategy {s.code}", s.cites) for s in dataset.strategies]
    for task in dataset.tasks:
        records.append((f"task {task.code}", task.cites))
        for kind, children in (
            ("milestone", task.milestones),
            ("budget", task.budgets),
            ("target", task.targets),
        ):
            records += [(f"{kind} {task.code}#{i}", c.cites) for i, c in enumerate(children, 1)]
    for law in dataset.laws:
        records.append((f"law {law.slug}", law.cites))
        records += [(f"law alias {a.alias}", a.cites) for a in law.aliases]
    for kind, items in (
        ("technology", dataset.technologies),
        ("region", dataset.regions),
        ("organisation", dataset.organisations),
    ):
        records += [(f"{kind} {item.slug}", item.cites) for item in items]
    return records


def test_every_record_cites_a_verbatim_quote() -> None:
    dataset = read_dataset(DATA_DIR)
    texts = _texts(dataset)
    records = _all_cited(dataset)
    uncited = [name for name, cites in records if not cites]
    assert uncited == []
    not_found = [
        f"{name}: [{cite.document}] {cite.quote!r}"
        for name, cites in records
        for cite in cites
        if cite.quote not in texts[cite.document]
    ]
    assert not_found == []


def test_law_aliases_occur_in_their_documents() -> None:
    dataset = read_dataset(DATA_DIR)
    texts = _texts(dataset)
    for law in dataset.laws:
        for alias in law.aliases:
            assert alias.document is not None
            assert alias.alias in texts[alias.document], alias.alias
