"""Operations: Prometheus metrics and the one JSON log line per request."""
