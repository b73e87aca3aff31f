"""Synthetic corpus for load tests and benchmarks: `manage.py generate_briefs --count N --seed S`."""
