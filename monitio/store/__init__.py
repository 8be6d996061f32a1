"""Storage: tables, migrations, and the repository functions that read and write them."""
