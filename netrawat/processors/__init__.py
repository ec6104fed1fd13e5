"""Nornir processors: cross-cutting work (recording, progress) kept out of the playbooks."""
