"""dealmon: a terminal monitor for compute-capacity deals."""

__version__ = "0.1.0"
