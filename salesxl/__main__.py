"""`python -m salesxl` runs the command line."""

from salesxl.cli import main

if __name__ == "__main__":
    main()
