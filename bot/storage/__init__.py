"""SQL storage: schema, connections, repositories and migrations."""
