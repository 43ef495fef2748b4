"""The fake XBezahldienste provider of the tests: the demo's stand-in
(forms_engine/demo/bezahldienst.py), a real HTTP server on 127.0.0.1 written
from the specification, which imports nothing of our client."""

from forms_engine.demo.bezahldienst import Bezahldienst

__all__ = ["Bezahldienst"]
