"""VBA modules of the add-in (.bas text), packaged as data."""
