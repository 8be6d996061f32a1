"""People and credentials: users with roles, password hashing, sessions, API tokens."""
