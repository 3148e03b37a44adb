"""The pure domain of the journal: cycle rules, readings, predictions, the articles-beside rules,
formatting and renderers. Standard library only: nothing here imports Flask, SQLAlchemy or the
rest of webapp, so every rule is tested directly, without an app."""
