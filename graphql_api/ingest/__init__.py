"""The one ingest path: `POST /ingest` and `graphql-api ingest` both call `ingest_lines`."""
