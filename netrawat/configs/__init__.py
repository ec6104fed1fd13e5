"""Device configurations as text: normalize volatile lines, verify, sanitize, store in git."""
