"""The Chinese-text rules, each in one place: numerals, outline labels, dates, numbers, did-you-mean."""
