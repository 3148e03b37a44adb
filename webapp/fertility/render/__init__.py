"""Server-side renderers: the cycle chart and the cycle-lengths chart (SVG), the calendar feed (iCalendar)."""
