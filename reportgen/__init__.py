"""reportgen: bank public-opinion (银行舆情) monitoring and briefings."""

__version__ = "0.1.0"
USER_AGENT = f"reportgen/{__version__} (bank public-opinion monitor; +https://github.com/reportgen/reportgen)"
