from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length


class SearchForm(FlaskForm):
    """A GET form: searches are bookmarkable and need no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField("Search the library", validators=[Length(max=2000)])
