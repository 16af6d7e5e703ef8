"""Screens pushed over the main one: deal details and help."""
