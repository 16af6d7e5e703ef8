"""What the panes show, built without Textual: table cells, the deal rows and the event rows.

The load worker builds these off the UI thread (`tui.loading.prepare_view`), so showing even
100,000 deals only hands finished rows to the widgets.
"""
