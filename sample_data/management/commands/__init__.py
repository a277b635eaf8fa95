"""``load_demo`` (the demo world) and ``generate_scale_data`` (the synthetic province)."""
