"""Loading a district workbook: read the cells (reader), parse the values (values), build the district (district)."""
