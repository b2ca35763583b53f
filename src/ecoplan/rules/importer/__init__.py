"""`ecoplan rules import`: a plan's own indicator table (Word or spreadsheet) becomes a draft rule pack.

The steps, one module each: open the file and read its tables as grids of merged cells (`document`, `docx`,
`sheets`, `grid`); find the indicator tables among them by their headers (`headers`, `tables`); read the table's
rows as indicators with sub-items (`rows`), each target cell with the packs' own criterion parser (`cells`,
`direction`) and the notes under the table (`notes`); build the pack (`build`) and write it as commented YAML
(`emit`) with a short report of what was read (`summary`).
"""
