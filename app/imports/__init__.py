"""Spreadsheet imports (CSV/XLSX): decode, match headers, validate with the API's schemas, upsert, report."""
