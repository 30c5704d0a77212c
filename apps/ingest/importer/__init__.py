"""The importer: normalised records (apps/ingest/normalized.py) into public records.

Idempotent natural-key upserts, never a delete. Each source's assertions are kept in
records.Provenance, and a work's visible fields are recomputed from them by a fixed
precedence, so the result does not depend on the order sources arrive in. Claimant decisions
are facts it leaves alone: a disowned authorship stays disowned, an existing authorship keeps
the author it points at (so a split stays split), and a merged record resolves to its survivor.
"""

from .run import ImportStats, import_batch

__all__ = ["ImportStats", "import_batch"]
