"""The pure analysis core: arrays and dataframes in, frozen results out.

No Django, no files, no queries: an adapter in ``observations`` feeds it.
"""
