"""The three panes of the monitor. Each presents an `Evaluation` and computes nothing itself."""
