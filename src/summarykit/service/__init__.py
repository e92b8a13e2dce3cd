"""HTTP service and browser page (optional extra: summarykit[serve])."""
