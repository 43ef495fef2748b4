"""The BundID identity provider of the tests: the demo's stand-in
(forms_engine/demo/bundid_idp.py), a real SAML IdP on 127.0.0.1 on pysaml2's
IdP side, which imports nothing of our SP code (forms_engine.identity)."""

from forms_engine.demo.bundid_idp import IDENTITIES, BundIdStandIn

__all__ = ["IDENTITIES", "BundIdStandIn"]
