"""The regions of the console, each a widget fed ``tui.frames.Frame`` objects."""
