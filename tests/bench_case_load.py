"""Benchmark: loading 10,000 case files (not collected by pytest).

Chooses the validation library for ``case.toml``. Prints, in one run, the time
to turn 10,000 parsed case files into ``Case`` objects with:

- baseline: the loader before typing (hand-written ``from_dict``, no type checks);
- msgspec: ``msgspec.convert(data, Case, strict=True)`` into the same dataclasses;
- pydantic: ``TypeAdapter(Case).validate_python(data)``, same dataclasses (lax: strict
  mode refuses a dict for a dataclass);

each once for the conversion alone and once with the TOML parsing (tomllib)
that every loader pays, then the parsing by toml_rs (what ``parse_toml`` uses since
issue 17's cold build), plus the whole ``Store.load_all`` of 10,000 files on disk,
with tomllib alone and with toml_rs.

    .venv/bin/python tests/bench_case_load.py [N]

Measured 2026-12-01 ~23:00 UTC (h/coldbuild, 2 cores shared by 8 sessions, load average
6.4: one-shot figures, inflated): 10,000 files parsed by tomllib 6942 ms, by toml_rs
562 ms (12.4x); Store.load_all 17868 ms with tomllib alone, 4580 ms with toml_rs (3.9x:
the rest is reading the files, validating and building the cases).
"""

from __future__ import annotations

import dataclasses
import gc
import sys
import tempfile
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appealdesk.cases import errors, model  # noqa: E402
from appealdesk.cases.model import Case  # noqa: E402
from appealdesk.cases.store import Store  # noqa: E402
from appealdesk.toml_fast import fast_toml  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def demo_texts() -> list[str]:
    """The demo cases as TOML text (realistic shape: history, evidence, letters)."""
    from appealdesk.cases.disk import dumps_toml
    from appealdesk.demo import install_demo

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        install_demo(store, NOW, operator="bench")
        # texts inline (the demo keeps its long letters in texts/ beside the case file)
        return [dumps_toml(store.load(cid).to_dict()) for cid in store.case_ids()]


def case_texts(n: int) -> list[str]:
    base = demo_texts()
    out = []
    ids = [tomllib.loads(text)["id"] for text in base]
    for i in range(n):
        k = i % len(base)
        out.append(base[k].replace(f'id = "{ids[k]}"', f'id = "{ids[k][:60]}-{i:05d}"', 1))
    return out


# -- the loader before typing (as it was in cases/model.py) --------------------

def _record(cls, data):
    names = {f.name for f in dataclasses.fields(cls)}
    obj = cls(**{k: v for k, v in data.items() if k in names and k != "extra"})
    if "extra" in names:
        obj.extra = {k: v for k, v in data.items() if k not in names}
    return obj


def baseline_from_dict(data: dict) -> Case:
    n = dict(data.get("notification", {}))
    quoted = [_record(model.QuotedMetric, q) for q in n.pop("quoted_metrics", [])]
    names = {f.name for f in dataclasses.fields(model.Notification)}
    notification = model.Notification(quoted_metrics=quoted,
                                      **{k: v for k, v in n.items() if k in names})
    ld = data.get("letter", {})
    return Case(
        id=str(data["id"]), marketplace=str(data["marketplace"]),
        store=str(data.get("store", "")), site=str(data.get("site", "")),
        status=model.Status(data.get("status", "new")), created=data.get("created"),
        notification=notification,
        history=[_record(model.HistoryEntry, h) for h in data.get("history", [])],
        evidence=[_record(model.EvidenceItem, e) for e in data.get("evidence", [])],
        waivers=[_record(model.Waiver, w) for w in data.get("waivers", [])],
        reports=[_record(model.ReportFile, r) for r in data.get("reports", [])],
        letter=model.Letter(draft=ld.get("draft", ""), version=ld.get("version", 0),
                            edited=ld.get("edited", False),
                            versions=[_record(model.LetterVersion, v)
                                      for v in ld.get("versions", [])]),
        submissions=[_record(model.Submission, s) for s in data.get("submissions", [])],
        schema=int(data.get("schema", 1)),
    )


def timed(fn, repeat: int = 3) -> float:
    """The least disturbed of ``repeat`` runs (the machine is shared), without the
    garbage collector, as timeit does: 10,000 parsed files make every collection
    walk a large heap, which would measure the heap rather than the library."""
    runs = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(runs)


def main() -> None:
    import msgspec
    import pydantic

    texts = case_texts(N)
    parsed = [tomllib.loads(t) for t in texts]
    adapter = pydantic.TypeAdapter(Case)
    candidates = {
        "baseline (hand from_dict, no checks)": baseline_from_dict,
        f"msgspec {msgspec.__version__} convert": lambda d: msgspec.convert(
            d, Case, strict=True, builtin_types=(datetime,)),
        # strict=True would refuse a dict for a (stdlib) dataclass: lax mode, which
        # also turns "5" into 5 — less strict than msgspec's.
        f"pydantic {pydantic.VERSION} TypeAdapter (lax)": adapter.validate_python,
        "Case.from_dict (what the store uses now)": Case.from_dict,
    }
    for fn in candidates.values():  # each must accept every demo case
        for data in parsed[:10]:
            fn(data)
    parse_only = timed(lambda: [tomllib.loads(t) for t in texts])
    print(f"{N} case files, {sum(map(len, texts)) / N / 1024:.1f} KiB each on average")
    print(f"{'':44} {'convert':>9} {'per case':>9} {'+ TOML parse':>13}")
    for name, fn in candidates.items():
        seconds = timed(lambda fn=fn: [fn(d) for d in parsed])
        print(f"{name:44} {seconds * 1000:7.0f}ms {seconds / N * 1e6:7.1f}µs "
              f"{(seconds + parse_only) * 1000:11.0f}ms")
    print(f"{'(TOML parse alone, tomllib)':44} {parse_only * 1000:7.0f}ms")
    fast_only = timed(lambda: [fast_toml(t) for t in texts])
    print(f"{'(the same by toml_rs, as parse_toml reads)':44} {fast_only * 1000:7.0f}ms "
          f"({parse_only / fast_only:.1f}x faster)")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for text, data in zip(texts, parsed, strict=True):
            path = store.case_file(data["id"])
            path.parent.mkdir(parents=True)
            path.write_text(text, "utf-8")
        store.load_all()  # the files once through the page cache
        for label, looked, fast in (("tomllib", True, None),
                                    ("toml_rs", False, errors._fast)):
            errors._fast_looked, errors._fast = looked, fast  # tomllib alone, then as shipped
            start = time.perf_counter()
            loaded = store.load_all()
            seconds = time.perf_counter() - start
            print(f"Store.load_all of {N} files on disk, {label}: {seconds * 1000:.0f}ms "
                  f"({len(loaded.cases)} loaded, {len(loaded.errors)} errors)")


if __name__ == "__main__":
    main()
