"""What an imported value may be: the limits every parser checks, in one place.

They mirror the journal's own checks (webapp/journal/forms.py and portability.py) so that an
import accepts exactly what a person could have typed; they are kept here, as plain constants,
until they move into the journal's single validation spec.
"""

from datetime import date

# Basal temperature, in hundredths of a degree Celsius (as the journal stores it).
TEMPERATURE_MIN_CENTI = 3400
TEMPERATURE_MAX_CENTI = 4300
# A temperature above this can only be Fahrenheit (no living body is at 45 °C, and 93-109 °F
# is the basal range): such a value is converted. Only used where a format does not say its unit.
FAHRENHEIT_ABOVE = 45

# Dates: none before this one, none later than `today` plus this many days. The grace day is
# the journal's: `today` is the server's UTC date, and east of UTC it is already tomorrow.
EARLIEST_DATE = date(1970, 1, 1)
FUTURE_DAYS_ALLOWED = 1

# Free text: the journal's day note (webapp.journal.forms.NOTE_MAX).
NOTE_MAX_CHARACTERS = 4000

# A whole export is read into memory: refuse anything larger than this many bytes.
MAX_FILE_BYTES = 20_000_000

# A Flo period spans start to end date; a longer span is a wrong date, not a period.
LONGEST_PERIOD_DAYS = 45
