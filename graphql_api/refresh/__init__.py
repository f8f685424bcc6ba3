"""Keeping the daily summary tables up to date with the facts."""
