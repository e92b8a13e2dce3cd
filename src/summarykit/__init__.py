"""summarykit: draft Chinese work summaries (工作总结) from structured records."""
