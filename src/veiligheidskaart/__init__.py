"""Veiligheidskaart: integraal veiligheidsbeleid op feiten."""

__version__ = "0.1.0"
