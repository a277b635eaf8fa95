"""Forms, one module per area of the application."""
