"""The pure domain of the journal: standard library only, no Flask, SQLAlchemy or rest of webapp."""
