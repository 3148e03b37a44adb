"""The words a person picks from in the journal: stored values and the labels they read.

Pure constants, shared by the models (column sizes), the forms (choices), the import (which
values are allowed), the rules for articles beside entries, and the templates (labels).
Each mapping is ordered as the choices appear on a form. Stored values are short lowercase
words; they never change once data exists (labels may).
"""

BLEEDING = {
    "spotting": "Spotting",
    "light": "Light",
    "medium": "Medium",
    "heavy": "Heavy",
}
# The contract's bleeding codes: 0 spotting … 3 heavy.
BLEEDING_CODES = {"spotting": 0, "light": 1, "medium": 2, "heavy": 3}

DISTURBANCES = {
    "short_sleep": "Short or broken sleep",
    "alcohol": "Alcohol the evening before",
    "illness": "Illness or fever",
    "travel": "Travel or a time change",
    "late": "Taken at an unusual time",
    "other": "Something else",
}

MUCUS_FEELINGS = {
    "dry": "Dry",
    "nothing": "Nothing in particular",
    "wet": "Wet",
    "slippery": "Slippery",
}
MUCUS_APPEARANCES = {
    "nothing": "Nothing seen",
    "creamy": "Creamy, white or sticky",
    "egg_white": "Clear and stretchy, like egg white",
}
# The NFP symbols for the codes 0-4 of fertility.mucus_code.
MUCUS_SYMBOLS = {0: "t", 1: "Ø", 2: "f", 3: "S", 4: "S+"}
MUCUS_CODE_WORDS = {
    0: "dry",
    1: "nothing felt or seen",
    2: "wet",
    3: "creamy mucus",
    4: "egg-white or slippery mucus",
}

CERVIX_POSITIONS = {"low": "Low", "medium": "Medium", "high": "High"}
CERVIX_FIRMNESS = {"firm": "Firm", "soft": "Soft"}
CERVIX_OPENINGS = {"closed": "Closed", "medium": "A little open", "open": "Open"}
# The contract's cervix codes: opening 0 closed, 1 medium, 2 open; firmness 0 hard, 1 soft.
CERVIX_OPENING_CODES = {"closed": 0, "medium": 1, "open": 2}
CERVIX_FIRMNESS_CODES = {"firm": 0, "soft": 1}

OVULATION_TESTS = {
    "negative": "Negative",
    "high": "High",
    "peak": "Peak or positive",
}

SYMPTOMS = {
    "cramps": "Cramps",
    "breast_tenderness": "Breast tenderness",
    "nausea": "Nausea",
    "fatigue": "Tiredness",
    "headache": "Headache",
    "bloating": "Bloating",
    "other": "Something else",
}

INSEMINATION_METHODS = {
    "ici": "ICI at home",
    "iui": "IUI at a clinic",
    "ivi": "IVI (vaginal)",
    "other": "Another way",
}
SPERM_STATES = {"fresh": "Fresh", "frozen": "Frozen"}
DONOR_KINDS = {"bank": "A sperm bank donor", "known": "A known donor"}

LEAKAGE = {"none": "None", "a_little": "A little", "a_lot": "A lot"}
CRAMPING = {"none": "None", "mild": "Mild", "strong": "Strong"}

TEST_KINDS = {"home": "Home test", "blood": "Blood test"}
HOME_RESULTS = {"negative": "Negative", "faint": "A faint line", "positive": "Positive"}

OUTCOMES = {
    "not_pregnant": "This cycle did not lead to a pregnancy",
    "chemical": "This cycle ended in a chemical pregnancy, a very early loss",
    "pregnancy": "This cycle led to a pregnancy",
    "loss": "This cycle ended in a loss",
}

TEMPERATURE_UNITS = {"C": "°C", "F": "°F"}

# Intercourse: whether sperm was involved. The journal does not assume who the partner is.
INTERCOURSE_SPERM = {
    "with_sperm": "With sperm",
    "protected": "Protected, or without sperm",
}

# Medicines and supplements: common fertility medicines first, then anything else by name.
MEDICINES = {
    "letrozole": "Letrozole (Femara)",
    "clomifene": "Clomifene (Clomid)",
    "progesterone": "Progesterone (Crinone, Cyclogest, Utrogestan, PIO…)",
    "estradiol": "Estradiol",
    "hcg_trigger": "hCG trigger shot (Ovitrelle, Pregnyl, Novarel)",
    "metformin": "Metformin",
    "folic_acid": "Folic acid",
    "other": "Something else (type its name)",
}
# Short labels for the chart's medicine row (five characters at most).
MEDICINE_SYMBOLS = {
    "letrozole": "Let",
    "clomifene": "Clo",
    "progesterone": "P4",
    "estradiol": "E2",
    "hcg_trigger": "hCG",
    "metformin": "Met",
    "folic_acid": "FA",
    "other": "Med",
}
MEDICINE_ROUTES = {
    "oral": "By mouth",
    "vaginal": "Vaginal",
    "injection": "Injection",
    "other": "Another way",
}
DOSE_UNITS = {
    "mg": "mg",
    "mcg": "mcg (µg)",
    "iu": "IU",
    "ml": "mL",
    "tablet": "tablets",
}

# Progesterone tests: urine PdG strips (a line or not) and serum progesterone (a value).
PROGESTERONE_TEST_KINDS = {"pdg_strip": "Urine PdG strip", "serum": "Blood (serum) progesterone"}
PDG_RESULTS = {"negative": "Negative", "positive": "Positive"}
PROGESTERONE_UNITS = {"ng_ml": "ng/mL", "nmol_l": "nmol/L"}

# Donor vial ledger: purchases add vials, corrections add or take away (a count that was
# off), shipments and storage are dated costs and places that do not change the count.
VIAL_ENTRY_KINDS = {
    "purchase": "Vials bought",
    "shipment": "A shipment",
    "storage": "Storage",
    "correction": "A correction to the count",
}


def label(vocabulary: dict[str, str], value: str | None) -> str:
    """The words for a stored value; an empty string for None."""
    if value is None:
        return ""
    return vocabulary.get(value, value)
