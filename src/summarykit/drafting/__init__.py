"""Stage 2, drafting: Report + template + phrase bank → markup → document tree."""
