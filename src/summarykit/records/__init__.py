"""Stage 1, records: bytes, text or plain data → a validated ``Report``, every problem located."""
