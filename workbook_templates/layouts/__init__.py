"""Header synonyms (headers.json) and published-layout markers (<id>.json), read by workbook_templates.reader."""
