"""`python -m skill` runs the command line."""

from skill.cli import main

main()
