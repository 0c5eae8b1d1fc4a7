"""`restored` is sent once a restore has committed: apps holding derived data (the statistics
summary) drop it without `backup` importing them."""

from __future__ import annotations

from django.dispatch import Signal

restored = Signal()
