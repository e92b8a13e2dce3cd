"""Tools around the core pipeline: writing checks and import of finished summaries."""
