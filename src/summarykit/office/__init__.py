"""LibreOffice at the edge: DOCX bytes → PDF bytes → PNG pages."""
