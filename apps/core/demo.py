"""The demo community's registry. Each app adds its part in its own `demo.py`:

    from apps.core.demo import demo_step

    @demo_step(order=20)
    def seed_records(ctx: DemoContext) -> None: ...

`seed_demo` runs the steps in order inside one transaction. Steps must be idempotent
(get_or_create on natural keys) and deterministic (fixed data or `ctx.random`), so running the
command twice leaves exactly one copy of everything.
"""

from __future__ import annotations

import random
from collections.abc import Callable
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


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    func: Callable[[DemoContext], None]


_steps: dict[str, DemoStep] = {}


def demo_step(*, order: int) -> Callable:
    """Register a seeding function; lower `order` runs first (accounts 10, records 20...)."""

    def register(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        name = f"{func.__module__}.{func.__qualname__}"
        _steps[name] = DemoStep(order=order, name=name, func=func)
        return func

    return register


def demo_steps() -> list[DemoStep]:
    """Every registered step, in run order. Apps' demo modules are imported first."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))
