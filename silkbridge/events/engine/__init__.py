"""Meeting scheduler engine for B2B matchmaking events (no Django import): validate, schedule, benchmark.

Import what you need from its modules (``instance``, ``scheduler``, ``cli``...): this package imports
nothing itself, because the solvers pull in SciPy and OR-Tools, which a command that only validates an
instance or prints its help should not wait for.
"""
