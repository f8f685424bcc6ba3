"""Report queries: every one reads the daily summary tables, never the raw facts."""
