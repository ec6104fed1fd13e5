"""The `netrawat` command line: one subcommand per capability."""
