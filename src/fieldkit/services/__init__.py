"""Use cases: the only API the GUI and the command line call."""
