"""Laying out the view: the deck, the document, the checked workbook and the text report."""
