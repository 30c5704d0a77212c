"""Locust users for `make loadtest` (bench/loadtest.py runs them one class at a time).

Each user loops without pause (a closed loop: N users are N readers always waiting on a
response) and checks what it gets: a 200 that shows what was asked for, else a failure. What
the scenarios need (the target author, search terms, session cookies of signed-in members) is
read from the JSON file named by LOADTEST_FACTS, which bench/loadtest.py writes; every
response's time goes to the file named by LOADTEST_OUT.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time

from locust import HttpUser, constant, events, task

FACTS = json.loads(open(os.environ["LOADTEST_FACTS"], encoding="utf-8").read())  # noqa: SIM115
TARGET = FACTS["target"]
TARGET_NAME = FACTS["target_name"]
_sessions = itertools.cycle(FACTS["sessions"] or [""])
_samples: list[tuple[float, float, bool]] = []  # (finished at, milliseconds, failed)


@events.request.add_listener
def _record(response_time, exception, **kwargs):
    """Every response kept, so bench/loadtest.py computes exact percentiles (Locust's own
    summary rounds them into buckets)."""
    _samples.append((time.time(), response_time, exception is not None))


@events.test_stop.add_listener
def _write(**kwargs):
    with open(os.environ["LOADTEST_OUT"], "w", encoding="utf-8") as out:
        json.dump(_samples, out)


def expect(response, *needles: str) -> None:
    """Mark the response failed unless it is a 200 holding every needle."""
    if response.status_code != 200:
        response.failure(f"{response.status_code}")
    elif any(needle not in response.text for needle in needles):
        response.failure("expected content missing")
    else:
        response.success()


class Reader(HttpUser):
    abstract = True
    wait_time = constant(0)

    def get(self, path: str, name: str, *needles: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            expect(response, *needles)


class Home(Reader):
    @task
    def home(self):
        self.get("/", "home")


class AuthorPage(Reader):
    @task
    def author(self):
        self.get(f"/authors/{TARGET}/", "author page", TARGET_NAME)


class NameSearch(Reader):
    @task
    def search(self):
        self.get(random.choice(FACTS["name_searches"]), "name search")  # noqa: S311


class WorkSearch(Reader):
    @task
    def search(self):
        self.get(random.choice(FACTS["work_searches"]), "work search")  # noqa: S311


class ApiAuthor(Reader):
    @task
    def author(self):
        self.get(f"/api/v1/authors/{TARGET}/", "API author", f'"works_count":{FACTS["works"]}')


class SignedInMix(Reader):
    """A signed-in member (each user its own session; the target's record is claimed by
    someone else, so its page runs the claim and invite checks): mostly author pages, then
    home and searches."""

    def on_start(self):
        self.client.cookies.set("sessionid", next(_sessions))

    @task(5)
    def claimed_author(self):
        self.get(f"/authors/{TARGET}/", "signed in: author page", TARGET_NAME, "Sign out")

    @task(2)
    def home(self):
        self.get("/", "signed in: home", "Sign out")

    @task(2)
    def names(self):
        self.get(random.choice(FACTS["name_searches"]), "signed in: name search", "Sign out")  # noqa: S311

    @task(1)
    def works(self):
        self.get(random.choice(FACTS["work_searches"]), "signed in: work search", "Sign out")  # noqa: S311
