"""Dev tools for the demo, tests and benchmarks; never shipped with the integration."""
