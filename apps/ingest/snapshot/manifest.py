"""Which files of an OpenAlex snapshot folder to load, from the manifests (pure, no Django).

Layout facts (shared/docs/upstream-apis.md §2): each entity folder holds a Redshift manifest
`{"entries": [{"url": "s3://openalex/data/<entity>/updated_date=…/part_…gz", "meta":
{"content_length", "record_count"}}]}`. An entry URL is mapped to a local file by its path
below the entity folder, nothing else: part names and prefixes vary between releases. Files on
disk the manifest does not list are loaded too, with a warning (a partial download, or the
sample's authors partition). Merges come from `merged_ids/<entity>/*.csv(.gz)`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

ENTITIES = ("authors", "works")  # load order: authors first, so works find them in place
PARTITION_SUFFIXES = (".gz",)
MERGE_SUFFIXES = (".csv", ".csv.gz")


class ManifestError(ValueError):
    """A snapshot folder or manifest we cannot read; the message is one readable line."""


@dataclass(frozen=True)
class Partition:
    entity: str  # "works", "authors", or "merged_ids/authors"
    path: Path  # the local file
    key: str  # the file relative to the snapshot folder, as LoadedPartition stores it
    record_count: int | None  # from the manifest; None for files it does not list
    size: int

    @property
    def is_merge_file(self) -> bool:
        return self.entity.startswith("merged_ids/")


@dataclass
class Plan:
    root: Path
    partitions: list[Partition] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_records(self) -> int | None:
        """The manifests' record count over every partition, or None if any is unknown."""
        counts = [p.record_count for p in self.partitions if not p.is_merge_file]
        return None if None in counts else sum(counts)

    @property
    def total_bytes(self) -> int:
        return sum(p.size for p in self.partitions if not p.is_merge_file)


def snapshot_root(folder: Path) -> Path:
    """The folder holding the entity folders: the one given, or its `data/` (an `aws s3 sync`
    of the whole bucket puts them there)."""
    if not folder.is_dir():
        raise ManifestError(f"{folder}: no such folder")
    data = folder / "data"
    if not any((folder / e).is_dir() for e in ENTITIES) and data.is_dir():
        return data
    return folder


def plan_snapshot(folder: Path, entities: tuple[str, ...] = ENTITIES) -> Plan:
    """Every partition and merge file to load, entity by entity in load order."""
    root = snapshot_root(folder)
    plan = Plan(root=root)
    for entity in (e for e in ENTITIES if e in entities):
        if not (root / entity).is_dir():
            plan.warnings.append(f"no {entity}/ folder in {root}: {entity} skipped")
            continue
        partitions, warnings = entity_partitions(root, entity)
        plan.partitions += partitions
        plan.warnings += warnings
    for entity in (e for e in ENTITIES if e in entities):
        plan.partitions += merge_files(root, entity)
    return plan


def read_manifest(path: Path, entity: str) -> list[tuple[str, int | None]]:
    """(path below the entity folder, record count) for each manifest entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["entries"]
        if not isinstance(entries, list):
            raise TypeError("entries is not a list")
        return [_entry(entry, entity) for entry in entries]
    except FileNotFoundError as exc:
        raise ManifestError(
            f"{path}: no manifest (OpenAlex removes it while a partition is being written: "
            "sync the folder again)"
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: malformed manifest ({exc})") from exc


def _entry(entry: dict, entity: str) -> tuple[str, int | None]:
    url = urlparse(entry["url"])
    parts = PurePosixPath(url.path).parts
    if entity not in parts:
        raise ValueError(f"entry {entry['url']} is not under {entity}/")
    below = parts[len(parts) - parts[::-1].index(entity) :]  # after the last `entity` part
    if not below or ".." in below:
        raise ValueError(f"entry {entry['url']} names no file below {entity}/")
    count = (entry.get("meta") or {}).get("record_count")
    return "/".join(below), count if isinstance(count, int) else None


def entity_partitions(root: Path, entity: str) -> tuple[list[Partition], list[str]]:
    """The manifest's partitions that are on disk, plus partition files it does not list."""
    folder = root / entity
    listed = dict(read_manifest(folder / "manifest", entity))
    found, missing = [], []
    for below, count in listed.items():
        path = folder / below
        if path.is_file():
            found.append(_partition(root, entity, path, count))
        else:
            missing.append(below)
    unlisted = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.name.endswith(PARTITION_SUFFIXES)
        and path.relative_to(folder).as_posix() not in listed
    )
    found += [_partition(root, entity, path, None) for path in unlisted]
    return sorted(found, key=lambda p: p.key), _warnings(entity, missing, unlisted, root)


def _warnings(entity: str, missing: list[str], unlisted: list[Path], root: Path) -> list[str]:
    warnings = []
    if missing:
        warnings.append(
            f"{entity}: {len(missing)} manifest entr{'y' if len(missing) == 1 else 'ies'} "
            f"not on disk, skipped (first: {missing[0]})"
        )
    warnings += [
        f"{entity}: {path.relative_to(root).as_posix()} is not in the manifest; loading it anyway"
        for path in unlisted
    ]
    return warnings


def merge_files(root: Path, entity: str) -> list[Partition]:
    folder = root / "merged_ids" / entity
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(MERGE_SUFFIXES))
    return [_partition(root, f"merged_ids/{entity}", path, None) for path in files]


def _partition(root: Path, entity: str, path: Path, count: int | None) -> Partition:
    return Partition(
        entity=entity,
        path=path,
        key=path.relative_to(root).as_posix(),
        record_count=count,
        size=path.stat().st_size,
    )
