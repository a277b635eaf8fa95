"""The pages, one module per area. Views stay thin: they check permissions, read with
``programs.selectors``, write through ``programs.services`` and render."""
