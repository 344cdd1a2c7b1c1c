"""Benchmarks: programs that print figures and ratios against a baseline measured in the
same run (machines are noisy: compare, don't trust absolute times). Not tests."""
