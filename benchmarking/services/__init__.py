from .loading import LoadResult, dfe_directory_load, figures_load, neighbours_load

__all__ = ["LoadResult", "dfe_directory_load", "figures_load", "neighbours_load"]
