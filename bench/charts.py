"""What the charts cost the author page: `python -m bench.charts [--repeat 200]`.

The charts ride on the page's years query (which the works filter needs anyway) and are
cached with the rest of the page's public part, so over HTTP they hide inside the author
page's figure. Here each step is timed alone, in one process against the bench database, for
the 500-work target author and the author with the most works: the grouped years query, the
chart geometry (`author_charts`), and rendering `records/_charts.html` to SVG. Results go to
var/bench/charts.json and are quoted by hand in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from .common import DATABASE_URL, OUT_DIR, REDIS_URL, TARGET_NAME, django_env


def _timed(call, repeat: int) -> dict:
    call()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
    }


def measure(repeat: int) -> dict:
    from django.template.loader import render_to_string

    from apps.records.models import Author
    from apps.records.pages import author_charts, author_years

    target = Author.objects.get(display_name=TARGET_NAME)
    busiest = Author.objects.order_by("-works_count", "id").first()
    results = {}
    for label, author in (("target", target), ("most works", busiest)):
        by_year = author_years(author)
        charts = author_charts(author, by_year)
        svg = render_to_string("records/_charts.html", {"charts": charts})
        results[label] = {
            "author": author.pk,
            "works": author.works_count,
            "years": len(by_year),
            "svg_bytes": len(svg.encode()),
            "years query": _timed(lambda a=author: author_years(a), repeat),
            "chart geometry": _timed(lambda a=author, y=by_year: author_charts(a, y), repeat),
            "render SVG": _timed(
                lambda c=charts: render_to_string("records/_charts.html", {"charts": c}), repeat
            ),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(django_env())
    import django

    django.setup()
    results = {
        "finished_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "database": DATABASE_URL.rsplit("/", 1)[-1],
        "redis": REDIS_URL,
        "repeat": args.repeat,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "authors": measure(args.repeat),
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "charts.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
