"""``python -m netrawat`` runs the CLI."""

from netrawat.cli.main import main

main()
