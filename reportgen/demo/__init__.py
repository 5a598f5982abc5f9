"""demo: generated bank news, the local feed server and ``reportgen demo``.  Never imported by
product code; the tests and benchmarks use its feed server and data too.
"""
