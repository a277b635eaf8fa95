"""Management commands of the sample-data app."""
