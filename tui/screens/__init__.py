"""The console's screens: start, console (the facilitator's), room view, dialogs."""
