"""Services: the operations interfaces call (ingest, catalog, read-only SQL). No economics here
beyond orchestration; interfaces (CLI, API) stay thin over these functions."""
