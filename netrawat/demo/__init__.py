"""`netrawat demo` (what `make demo` runs): the whole SOP on a lab fleet, in under two minutes."""
