"""Official tables: declarative specs, the built templates, and reading/writing workbooks."""
