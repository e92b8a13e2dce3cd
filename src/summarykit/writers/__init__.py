"""Writers: the numbered document tree → DOCX, Markdown or plain text."""
