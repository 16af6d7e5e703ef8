"""Widgets and rendering helpers shared by the panes and screens."""
