"""The RouterOS 7 personality of the device lab: configuration model, CLI shell, API."""
