"""The entry point of the snapshot loader's reader processes (snapshot/parallel.py).

It lives outside apps.ingest.snapshot because a spawned child imports its target's module
before running it, and that package imports models, which need Django set up first.
"""

from __future__ import annotations

import os

NICENESS = 10  # below the loader and PostgreSQL: reading ahead takes only the CPU they leave


def run_reader(tasks, results) -> None:
    if hasattr(os, "nice"):  # (not on Windows)
        os.nice(NICENESS)
    import django

    django.setup()
    from apps.ingest.snapshot.collector import fewer_collections
    from apps.ingest.snapshot.parallel import serve

    with fewer_collections():
        serve(tasks, results)
