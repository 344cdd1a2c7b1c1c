"""Ingest: help documents and search-query logs into ``task_plans`` records."""
