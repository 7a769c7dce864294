"""exporters stage."""
