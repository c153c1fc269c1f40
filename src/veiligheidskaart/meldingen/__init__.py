"""Meldingen: residents' reports and aandachtspunten, their workflow and routing."""
