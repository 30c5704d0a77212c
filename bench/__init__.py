"""`make bench`: a synthetic 1M-work / 300k-author PostgreSQL database (generate.py) and
latency/throughput measurements over HTTP against gunicorn (measure.py). Never part of
`make test` or CI; results live in docs/benchmarks.md."""
