"""Scale benchmarks: national-size synthetic data, the real loaders and indicator layer, and a pandas baseline.

`python -m benchmarks run --scale national` generates (or reuses) the data, loads it into one DuckDB file, computes
every indicator, and times the same trajectory, CBS and budget indicators computed the way an analyst would with
pandas, checking that both give the same values. All generated data is fictional (codes GM7001-GM7342).
"""
