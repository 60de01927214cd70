"""The leaders' dashboard in `make bench`: the office director's page (the widest scope: every
document, item, meeting and number of the benchmark office)."""

from config.bench import register

register(page=("dashboard (office director)", "/dashboard/", "bench_director"))  # seeded by supervision.bench
