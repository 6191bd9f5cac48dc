"""Declarative template specs (one JSON file per layout) and the shared cell styles."""
