"""Discipline reports: figures of a period, the end-of-day summary, the workbook and the page.

Modules, one concern each: `period` (days, weeks, months and ranges), `figures` (the records
added up per staff member, department, office and day), `daily` (the leaders' end-of-day
summary), `wording` (the Vietnamese words and the document's fixed text), `narrative` (the
figures in words), `ordering` (Vietnamese alphabetical order), `columns` (the tables'
columns), `workbook` (a standard-library XLSX writer), `xlsx` (the report as a workbook) and
`html` (the report as a printable page).
"""
