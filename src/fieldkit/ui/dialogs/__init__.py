"""Dialogs: forms that create or change records, and read-only sheets."""
