"""CSV exports: job records, the tables they stream, signed links, email and the worker."""
