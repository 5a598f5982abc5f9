"""Shipped report templates; a package only so that ``importlib.resources`` finds them when installed."""
