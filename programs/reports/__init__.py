"""Reports: periods, scopes, the aggregate figures, and their exports."""
