"""Signals every app may send or hear (core is the lowest layer).

`restored` is sent by `backup` once a restore has committed: apps holding derived data (the
statistics summary) drop it, without `backup` importing them or them importing `backup`."""

from __future__ import annotations

from django.dispatch import Signal

restored = Signal()
