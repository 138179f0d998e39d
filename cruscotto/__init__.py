"""Core shared by the loaders and the pages: records, Italian values, evaluation rules, database."""
