"""Config compliance: intended configs per feature, drift and compliance reports."""
