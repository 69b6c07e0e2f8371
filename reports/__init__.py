"""Exports for the gemeenteraad: the council report workbook (`reports.excel.build_workbook`)."""
