"""Pure rules of fieldkit: states, clocks, codes, text; imports nothing else of fieldkit."""
