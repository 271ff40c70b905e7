"""Exercise sessions: the store that keeps them (one SQLite file) and the journal that replays
them, so that a live exercise survives a crash, a closed laptop or a second terminal."""
