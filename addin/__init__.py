"""Everything behind a button: validate, score, report, consolidate; the ribbon/VBA/xlwings glue; the CLI."""
