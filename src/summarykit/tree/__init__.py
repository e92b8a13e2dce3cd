"""Stage 3, the document tree and the numbering pass over it."""
