"""daman_tui: the branch-office terminal application of the Developed Social Security programme."""

__all__ = ["__version__"]

__version__ = "0.1.0"
