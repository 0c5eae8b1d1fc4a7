"""Decisions by the competent level (decisions.md §2–3): the hard limits and the one service
that sets `Evaluation.decided_level`, called by the decision page, the API and commands alike."""
