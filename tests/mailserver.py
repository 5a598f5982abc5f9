"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the delivery tests, with TLS from a test-made CA.

::

    ca = make_ca(tmp_path)                      # a CA and a server certificate for 127.0.0.1
    with MailServer(security="starttls", ca=ca, login=("robot", "s3cret")) as srv:
        ...                                     # srv.port, srv.messages, srv.reject = "554 ..."

``messages`` holds what the server accepted, parsed back with the email package.  Setting
``reject`` to an SMTP reply makes it refuse the DATA of every mail until it is set back to None;
``refuse_rcpt`` maps addresses to the reply their RCPT TO gets (``"550 5.1.1 mailbox unavailable"``),
while the other recipients are accepted.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Certs:
    ca_file: Path  # what the client trusts (email.ca_file)
    cert_file: Path  # the server's certificate chain
    key_file: Path


def make_ca(folder: Path) -> Certs:
    """A throwaway CA and a server certificate for 127.0.0.1 / localhost that it signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "reportgen test CA")])
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    folder.mkdir(parents=True, exist_ok=True)
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca_cert.public_bytes(pem))
    cert_file.write_bytes(cert.public_bytes(pem) + ca_cert.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return Certs(ca_file, cert_file, key_file)


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage = field(init=False)

    def __post_init__(self) -> None:
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[assignment]


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.reject: str | None = None
        self.refuse_rcpt: dict[str, str] = {}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.reject:
            return self.reject
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"


def free_port() -> int:
    """A port nothing listens on (bound and released): connecting to it is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """aiosmtpd on 127.0.0.1 in a thread; ``security`` is "starttls", "tls" or "none"."""

    def __init__(self, *, security: str = "none", ca: Certs | None = None,
                 login: tuple[str, str] | None = None, port: int | None = None) -> None:
        self.handler = _Handler()
        self.port = port or free_port()
        self.logins: list[tuple[str, bool]] = []
        kwargs: dict[str, Any] = {}
        if security != "none":
            assert ca is not None
            server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            server_ctx.load_cert_chain(ca.cert_file, ca.key_file)
            kwargs["ssl_context" if security == "tls" else "tls_context"] = server_ctx
            if security == "starttls":
                kwargs["require_starttls"] = True
        if login:
            # aiosmtpd only counts STARTTLS as TLS; with implicit TLS the whole socket is encrypted
            kwargs.update(authenticator=self._authenticator(login), auth_required=True,
                          auth_require_tls=security == "starttls")
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def _authenticator(self, expected: tuple[str, str]) -> Any:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
            ok = (isinstance(auth_data, LoginPassword)
                  and (auth_data.login.decode(), auth_data.password.decode()) == expected)
            self.logins.append((auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?", ok))
            return AuthResult(success=ok, handled=False)
        return check

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    @property
    def refuse_rcpt(self) -> dict[str, str]:
        return self.handler.refuse_rcpt

    @property
    def reject(self) -> str | None:
        return self.handler.reject

    @reject.setter
    def reject(self, reply: str | None) -> None:
        self.handler.reject = reply

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


# --- a small monitoring setup for end-to-end runs -------------------------------------------------

PASSWORD = "pw-Zq8#not-in-logs"  # the SMTP password the tests put in the environment
PASSWORD_ENV = "TEST_SMTP_PASSWORD"


def sample_feed(day: dt.date) -> bytes:
    """Three items on ``day`` (Shanghai time): bad news for 工行, a peer's, and a formula-like title."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>测试财经</title><link>https://news.example/</link>
<item><title>中国工商银行某支行因违规放贷被罚款50万元</title><link>https://news.example/a/1</link>
<guid>n-1</guid><pubDate>{day} 10:30:00</pubDate><description>据国家金融监督管理总局公布，罚款。</description></item>
<item><title>建设银行发布三季度业绩</title><link>https://news.example/a/2</link>
<guid>n-2</guid><pubDate>{day} 11:00:00</pubDate><description>净利润同比增长。</description></item>
<item><title>=HYPERLINK("http://evil.example","工行客户点此")</title><link>https://news.example/a/3</link>
<guid>n-3</guid><pubDate>{day} 12:00:00</pubDate><description>工商银行</description></item>
</channel></rss>
""".encode()


def write_config(folder: Path, *, feeds_base: str, smtp_port: int | None, security: str = "none",
                 ca_file: Path | None = None, login: bool = False, name: str = "sources.toml",
                 email_extra: str = "", extra: str = "") -> Path:
    """A config with two banks, the sample feed and (when ``smtp_port``) mail to a boss, cc and bcc."""
    email = ""
    if smtp_port is not None:
        email = f"""
[email]
host = "127.0.0.1"
port = {smtp_port}
security = "{security}"
from = "舆情监测 <reportgen@bank.example>"
list_id = "briefing.bank.example"
timeout_s = 5
{f'ca_file = "{ca_file}"' if ca_file else ""}
{f'username = "robot"{chr(10)}password_env = "{PASSWORD_ENV}"' if login else ""}
{email_extra}
[email.daily]
to = ["行领导 <boss@bank.example>"]
cc = ["pr@bank.example"]
bcc = ["archive@bank.example"]
[email.weekly]
to = ["boss@bank.example"]
"""
    text = f"""
[settings]
timezone = "Asia/Shanghai"
output_dir = "out"
database = "sqlite:///r.db"
{email}
{extra}
[[banks]]
id = "icbc"
name = "中国工商银行"
aliases = ["工商银行", "工行"]
role = "self"
[[banks]]
id = "ccb"
name = "中国建设银行"
aliases = ["建设银行", "建行"]
[[sources]]
id = "good"
name = "测试财经"
url = "{feeds_base}/good"
channel = "online"
"""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
