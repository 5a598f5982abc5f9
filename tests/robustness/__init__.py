"""Hostile input, faults and security (issue 7): README "What reportgen survives" lists each case."""
