"""The pages of the main window, one per kind of record."""
