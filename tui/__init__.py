"""The Textual facilitator console (``ttx play``). Nothing in ``simulator`` imports this."""
