"""The command line: a thin shell over the library (``summarykit.cli.main``)."""
