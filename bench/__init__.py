"""Benchmarks (基准测试): each one prints its figures beside a raw baseline run in the same process."""
