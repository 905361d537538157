"""Case records: loading files, keeping them in SQL, indexing and finding related passages."""
