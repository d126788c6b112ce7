"""Streamed CSV / XLSX exports of the main lists, for Excel users and statistics scripts."""
