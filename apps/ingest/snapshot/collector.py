"""The cyclic garbage collector during a bulk load.

Parsing and staging make millions of short-lived containers (the parsed JSON, records,
rows) that form no cycles: reference counting frees each one when its batch is done. The
cyclic collector still starts a pass every 2,000 new containers, and its older generations
walk every object that lives on (Django's modules, the parser's caches, the loader's
indexes). While a load runs, `fewer_collections` leaves out of those walks what was alive
before it (gc.freeze) and starts a pass every 50,000 containers instead; cycles are still
collected, and the walks no longer take a share of every reader's and the loader's CPU
(docs/benchmarks.md, "The collector, ISA-L and ASCII names").
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (50_000, 20, 100)  # gc.set_threshold during a load (default: 2,000, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
