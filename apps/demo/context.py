"""What every demo step is handed: the seeded random generator, the logins to print and the
count of what was created."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TypeVar

DEMO_PASSWORD = "peerage-demo"  # noqa: S105  (public on purpose: printed by `make run`)

T = TypeVar("T")


@dataclass
class DemoContext:
    # Seeded on purpose: the demo must come out the same on every machine.
    random: random.Random = field(default_factory=lambda: random.Random(20261123))  # noqa: S311
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    counts: dict[str, int] = field(default_factory=dict)  # what each step created

    def created(self, label: str, n: int = 1) -> None:
        if n > 0:
            self.counts[label] = self.counts.get(label, 0) + n

    def got(self, label: str, got: tuple[T, bool]) -> T:
        """The object of a get_or_create, counted under `label` when it was created."""
        instance, created = got
        if created:
            self.created(label)
        return instance
