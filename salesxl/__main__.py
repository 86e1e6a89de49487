"""`python -m salesxl` runs the command line."""

from salesxl.cli import run

if __name__ == "__main__":
    run()
