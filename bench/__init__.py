"""The benchmark suite (issue 5): ``python -m bench.run`` measures and writes BENCHMARKS.md."""
