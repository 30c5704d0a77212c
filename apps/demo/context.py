"""What every demo step is handed: the seeded random generator, the logins to print and the
count of what was created."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DEMO_PASSWORD = "peerage-demo"  # noqa: S105  (public on purpose: printed by `make run`)


@dataclass
class DemoContext:
    # Seeded on purpose: the demo must come out the same on every machine.
    random: random.Random = field(default_factory=lambda: random.Random(20261123))  # noqa: S311
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    counts: dict[str, int] = field(default_factory=dict)  # what each step created

    def created(self, label: str, n: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + n
