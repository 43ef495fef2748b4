"""The SAML 2.0 service provider of one city, built per request from its
BundIdSettings with pysaml2 (signatures and decryption by Debian's xmlsec1).

What we check on an answer (docs/bundid.md): the response is a samlp:Response
holding exactly one EncryptedAssertion and no plain assertion; pysaml2 then
decrypts it with the city's key and checks the assertion's signature against
the IdP's metadata, Destination/Recipient (our ACS), Audience (our entity id),
NotBefore/NotOnOrAfter, and InResponseTo against the one request this login
started; we check the audience again, remember the assertion ID (a second use
is a replay), and read the pseudonym and the trust level."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from lxml import etree
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, ExtensionElement
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, AuthnContextClassRef, NameID
from saml2.samlp import Extensions, RequestedAuthnContext
from saml2.xmldsig import SIG_RSA_SHA256

from forms_engine.tenants.links import city_base_url

from . import levels
from .models import BundIdSettings, SeenAssertion

logger = logging.getLogger(__name__)

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
AKDB = "https://www.akdb.de/request/2018/09"
CLASSIC_UI = "https://www.akdb.de/request/2018/09/classic-ui/v1"
MAX_RESPONSE_BYTES = 512 * 1024


class LoginRefused(Exception):
    """An answer we do not accept. `reason` is a code for the page and the log
    (never the message's content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Identity:
    """A verified BundID login."""

    pseudonym: str
    stork_level: int
    authenticated_at: datetime
    assertion_id: str
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def level(self) -> str:
        return levels.level_name(self.stork_level)

    def as_session(self) -> dict[str, Any]:
        return {
            "pseudonym": self.pseudonym,
            "stork_level": self.stork_level,
            "authenticated_at": self.authenticated_at.isoformat(),
            "attributes": self.attributes,
        }

    def __repr__(self) -> str:  # never print attributes into logs by accident
        return f"<Identity level={self.stork_level}>"


def entity_id(config: BundIdSettings) -> str:
    return config.entity_id or f"{city_base_url(config.city)}/bundid/metadata/"


def acs_url(config: BundIdSettings) -> str:
    return f"{city_base_url(config.city)}/bundid/acs/"


def logout_url(config: BundIdSettings) -> str:
    return f"{city_base_url(config.city)}/bundid/abmelden/"


@contextmanager
def client(config: BundIdSettings) -> Iterator[Saml2Client]:
    """The city's SP. xmlsec1 reads keys from files: the key is written for
    the length of one request into a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="bundid-sp-") as workdir:
        key = Path(workdir, "sp.key")
        key.touch(mode=0o600)
        key.write_text(config.sp_key)
        cert = Path(workdir, "sp.crt")
        cert.write_text(config.sp_certificate)
        conf: dict[str, Any] = {
            "entityid": entity_id(config),
            "xmlsec_binary": settings.XMLSEC_BINARY,
            "key_file": str(key),
            "cert_file": str(cert),
            "encryption_keypairs": [{"key_file": str(key), "cert_file": str(cert)}],
            "metadata": {"inline": [config.idp_metadata]} if config.idp_metadata else {},
            "accepted_time_diff": 60,
            "allow_unknown_attributes": True,
            "delete_tmpfiles": True,
            "service": {
                "sp": {
                    "name": config.organisation_name or config.city.name,
                    "endpoints": {
                        "assertion_consumer_service": [(acs_url(config), BINDING_HTTP_POST)],
                        "single_logout_service": [(logout_url(config), BINDING_HTTP_REDIRECT)],
                    },
                    "authn_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": False,
                    "requested_attribute_name_format": NAME_FORMAT_URI,
                }
            },
        }
        sp_config = SPConfig()
        sp_config.load(conf)
        yield Saml2Client(config=sp_config)


def metadata(config: BundIdSettings) -> str:
    """The SP metadata to register with BundID: entity id, ACS (HTTP-POST),
    signing and encryption certificate."""
    with client(config) as sp:
        made = create_metadata_string(None, config=sp.config, valid=24 * 365, sign=False)
        return made.decode() if isinstance(made, bytes) else str(made)


def idp_entity_id(metadata_xml: str) -> str:
    match = re.search(r'entityID="([^"]+)"', metadata_xml)
    if match is None:
        raise LoginRefused("no-idp")
    return match.group(1)


def _e(name: str, namespace: str = AKDB, text: str | None = None, **attributes: str) -> ExtensionElement:
    return ExtensionElement(name, namespace=namespace, text=text, attributes=attributes)


def akdb_extension(
    *, level: str, attributes: list[tuple[str, bool]], organisation: str, service_id: str, lang: str, back_url: str
) -> Extensions:
    """<akdb:AuthenticationRequest Version="2">: the login methods the level
    allows, the attributes asked for, what BundID shows (integrations.md §3)."""
    methods = ["eID", "eIDAS"] if level != "basic" else ["Benutzername", "eID", "eIDAS"]
    request = _e("AuthenticationRequest", Version="2")
    authn_methods = _e("AuthnMethods")
    for method in methods:
        element = _e(method)
        element.children.append(_e("Enabled", text="true"))
        authn_methods.children.append(element)
    requested = _e("RequestedAttributes")
    for oid, required in attributes:
        requested.children.append(
            _e("RequestedAttribute", Name=f"urn:oid:{oid}", RequiredAttribute="true" if required else "false")
        )
    display = _e("DisplayInformation")
    version = _e("Version", namespace=CLASSIC_UI)
    for name, value in (
        ("OrganizationDisplayName", organisation),
        ("OnlineServiceId", service_id),
        ("Lang", lang),
        ("BackURL", back_url),
    ):
        version.children.append(_e(name, namespace=CLASSIC_UI, text=value))
    display.children.append(version)
    request.children.extend([authn_methods, requested, display])
    return Extensions(extension_elements=[request])


@dataclass
class OutgoingRequest:
    request_id: str
    destination: str
    saml_request: str  # base64, for the HTTP-POST binding


def authn_request(
    config: BundIdSettings, *, level: str, attributes: list[str], service_id: str, lang: str, back_url: str
) -> OutgoingRequest:
    """A signed AuthnRequest asking for at least `level` and these attributes
    (our names from levels.ATTRIBUTES; the pseudonym is always required)."""
    wanted = [(levels.ATTRIBUTES["pseudonym"], True)] + [
        (levels.ATTRIBUTES[a], False) for a in attributes if a != "pseudonym"
    ]
    with client(config) as sp:
        idp = idp_entity_id(config.idp_metadata)
        destination = sp.metadata.single_sign_on_service(idp, BINDING_HTTP_POST)[0]["location"]
        request_id, xml = sp.create_authn_request(
            destination,
            binding=BINDING_HTTP_POST,
            sign=True,
            force_authn="true",
            requested_authn_context=RequestedAuthnContext(
                authn_context_class_ref=[AuthnContextClassRef(text=levels.stork_ref(level))], comparison="minimum"
            ),
            extensions=akdb_extension(
                level=level,
                attributes=wanted,
                organisation=config.organisation_name or config.city.name,
                service_id=service_id,
                lang=lang,
                back_url=back_url,
            ),
        )
    return OutgoingRequest(
        request_id=request_id, destination=destination, saml_request=base64.b64encode(str(xml).encode()).decode()
    )


def _structure(saml_response: str) -> etree._Element:
    """Refuse what pysaml2 might accept but BundID never sends: no plain
    assertion anywhere (signature wrapping hides one), exactly one encrypted one."""
    if len(saml_response) > MAX_RESPONSE_BYTES:
        raise LoginRefused("too-large")
    try:
        data = base64.b64decode(saml_response, validate=False)
    except (binascii.Error, ValueError):
        raise LoginRefused("malformed") from None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise LoginRefused("malformed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise LoginRefused("malformed") from None
    if root.tag != f"{{{SAMLP}}}Response":
        raise LoginRefused("malformed")
    status = root.find(f"{{{SAMLP}}}Status/{{{SAMLP}}}StatusCode")
    if status is None or status.get("Value") != "urn:oasis:names:tc:SAML:2.0:status:Success":
        raise LoginRefused("cancelled")
    if list(root.iter(f"{{{SAML}}}Assertion")):
        raise LoginRefused("unencrypted")
    encrypted = list(root.iter(f"{{{SAML}}}EncryptedAssertion"))
    if len(encrypted) != 1 or encrypted[0].getparent() is not root:
        raise LoginRefused("unencrypted" if not encrypted else "malformed")
    return root


def verify_response(config: BundIdSettings, saml_response: str, *, request_id: str) -> Identity:
    """The verified identity in a SAMLResponse answering `request_id`, or
    LoginRefused. Nothing of the message is logged or kept."""
    _structure(saml_response)
    with client(config) as sp:
        try:
            answer = sp.parse_authn_request_response(
                saml_response, BINDING_HTTP_POST, outstanding={request_id: "login"}
            )
        except Exception as exc:  # pysaml2 raises a dozen kinds: all mean "not accepted"
            raise LoginRefused(type(exc).__name__) from None
        if answer is None or answer.assertion is None:
            raise LoginRefused("invalid")
        our_entity = sp.config.entityid
    if answer.in_response_to != request_id:
        raise LoginRefused("in-response-to")
    assertion = answer.assertion
    # The assertion's own signature must cover the assertion itself, not another
    # element it carries (signature wrapping).
    signature = assertion.signature
    references = [r.uri for r in signature.signed_info.reference] if signature and signature.signed_info else []
    if references != [f"#{assertion.id}"]:
        raise LoginRefused("signature-reference")
    audiences = [
        a.text for c in [assertion.conditions] if c for r in c.audience_restriction for a in r.audience if a.text
    ]
    if our_entity not in audiences:
        raise LoginRefused("audience")
    values: dict[str, str] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            texts = [v.text for v in attribute.attribute_value if v.text]
            if texts:
                values[levels.oid_of(attribute.name or "")] = texts[0].strip()
    by_oid = {oid: name for name, oid in levels.ATTRIBUTES.items()}
    attributes = {by_oid[oid]: value for oid, value in values.items() if oid in by_oid}
    pseudonym = attributes.pop("pseudonym", "")
    if not pseudonym:
        raise LoginRefused("no-pseudonym")
    stork, authenticated_at = _authn(assertion)
    from_attribute = levels.parse_stork(values.get(levels.TRUST_LEVEL_OID))
    if from_attribute:  # both given: the lower one counts
        stork = min(stork, from_attribute) if stork else from_attribute
    if not stork:
        raise LoginRefused("no-level")
    _remember(config, assertion.id)
    return Identity(
        pseudonym=pseudonym,
        stork_level=stork,
        authenticated_at=authenticated_at,
        assertion_id=assertion.id,
        attributes=attributes,
    )


def _authn(assertion: Any) -> tuple[int, datetime]:
    for statement in assertion.authn_statement:
        ref = statement.authn_context.authn_context_class_ref if statement.authn_context else None
        when = _instant(statement.authn_instant)
        return levels.parse_stork(ref.text if ref is not None else ""), when
    raise LoginRefused("no-authn-statement")


def _instant(text: str | None) -> datetime:
    try:
        value = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        raise LoginRefused("no-authn-instant") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _remember(config: BundIdSettings, assertion_id: str) -> None:
    """An assertion is accepted once, on any city's host."""
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(city=config.city, assertion_id=assertion_id)
    except IntegrityError:
        raise LoginRefused("replay") from None


def logout_location(config: BundIdSettings, name_id: str) -> str:
    """Where to send the browser for single logout at BundID (a signed
    LogoutRequest, HTTP-Redirect binding), or "" when the IdP offers none."""
    with client(config) as sp:
        idp = idp_entity_id(config.idp_metadata)
        try:
            services = sp.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")
        except Exception:  # no SLO in the metadata
            return ""
        if not services:
            return ""
        destination = services[0]["location"]
        _request_id, request = sp.create_logout_request(
            destination, idp, name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=name_id), sign=False
        )
        info = sp.apply_binding(
            BINDING_HTTP_REDIRECT, str(request), destination, relay_state="", sign=True, sigalg=SIG_RSA_SHA256
        )
    return str(dict(info["headers"]).get("Location", ""))
