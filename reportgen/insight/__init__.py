"""insight: reprint events, heat, alerts against each bank's baseline, and the report's figures.

Reads the store through its named functions, never with SQL of its own; renders nothing.
"""
