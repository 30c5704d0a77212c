"""The OpenAlex snapshot loader: `manage.py load_openalex_snapshot DIR`.

manifest.py decides which files to load; load.py loads each in one transaction, marking it
loaded (models_snapshot.LoadedPartition) in the same transaction; records.py reads and checks
a partition's records (parsed by parallel.py's reader processes); works.py and authors.py
stage records with COPY and upsert them set-based with the importer's own rules (with
SNAPSHOT_STAGING = "sql", jsonstage/ stages a works partition's raw lines in SQL instead, into
the same staging tables); metrics.py
recomputes author metrics set-based, once per run for the authors the run's partitions
touched; merges.py applies merged_ids.
"""

from .load import load_partition, load_snapshot, stage_partition
from .manifest import ENTITIES, Partition, Plan, plan_snapshot
from .outcome import METRICS_KEY, PartitionStats, SnapshotError

__all__ = [
    "ENTITIES",
    "METRICS_KEY",
    "Partition",
    "PartitionStats",
    "Plan",
    "SnapshotError",
    "load_partition",
    "load_snapshot",
    "plan_snapshot",
    "stage_partition",
]
