"""paycalc: itemised monthly pay slips under grade-plus-points pay schemes."""
