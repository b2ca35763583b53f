"""Running the flow for one workbook, one district's series, or a batch of many."""
