"""Mail: compose the briefing message and hand it to an SMTP relay.

The message is composed once, when the report is made, and stored in the outbox
(:mod:`reportgen.outbox`) as bytes; a retry sends exactly those bytes, with the same Message-ID,
so a receiving system can tell a retry from a new mail.

- ``multipart/mixed``: a ``multipart/alternative`` body (plain text and an email-safe HTML
  summary, page 1 of the briefing with its CSS inlined) and the PDF, whose Chinese file name is
  encoded per RFC 2231.  Bodies are base64, so no relay needs 8BITMIME.
- Message-ID, Date and List-Id are set; ``Auto-Submitted`` keeps auto-replies away.  Bcc
  recipients are envelope only, never a header.
- Transport security: STARTTLS or implicit TLS with certificate and host-name verification always
  on, against the system store or ``email.ca_file``; plain SMTP only with ``security = "none"``.
- Errors become :class:`DeliveryError` with the server's answer and a hint.  The password is
  never part of a message, a log line or an exception.
- Time: ``email.timeout_s`` bounds each read and write, and ``email.deadline_s`` a whole step
  (connect, TLS and login; then each mail; then QUIT): a relay that trickles a multi-line reply,
  one line just inside the read timeout after another, is cut off there instead of holding the
  run, and its lock, for as long as it likes.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from types import TracebackType

from reportgen.config.delivery import EmailSettings
from reportgen.errors import DeliveryError
from reportgen.models import ReportData
from reportgen.periods import Period
from reportgen.report.mailbody import render_bodies, subject_prefix
from reportgen.report.render import report_context

log = logging.getLogger(__name__)

NO_LEVEL = {"zh": "无", "en": "none"}  # the subject's {level} when no alert was raised
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


@dataclass(frozen=True, slots=True)
class ComposedMail:
    message: bytes
    message_id: str
    subject: str
    recipients: tuple[str, ...]  # the envelope, bcc included


class MessageTooLarge(DeliveryError):
    """The composed mail is over ``email.max_size_mb``: retrying cannot help, so it is not queued.

    ``mail`` is the mail as composed: the outbox keeps it, so that once the limit is raised,
    ``reportgen send`` (or the next run) sends it without making the report again.
    """

    def __init__(self, message: str, *, hint: str | None = None, mail: ComposedMail | None = None) -> None:
        super().__init__(message, hint=hint)
        self.mail = mail


SIZE_HINT = ("raise email.max_size_mb if your relay accepts larger mail, then `reportgen send` mails it (the "
             "outbox keeps it, checked again against the limit); or send a link to the HTML report")


def over_size_limit(message: bytes, email: EmailSettings) -> bool:
    """Whether a composed message is larger than ``email.max_size_mb`` allows."""
    return len(message) > email.max_size_mb * 1024 * 1024


def subject_fields(data: ReportData, period: Period) -> dict[str, object]:
    """The values a subject template may use.

    ``negative`` counts the period's items judged bad news for the bank(s) with role "self";
    ``level`` is the most severe level of the bank's own alerts, named with its colour as the
    briefing names it (一级（红色） / Level 1 (red)), 无/none when none was raised, or 未知/Unknown
    when none was raised but the sources did not answer (the data-completeness gate).
    """
    context = report_context(data, with_charts=False)
    level = data.alert_level
    return {
        "date": period.key, "period": context["day_label"], "title": data.title, "total": data.total_items,
        "self_mentions": context["self_mentions"], "negative": context["self_negative"],
        "level": context["b"].subject_level() if level or not context["data_complete"]
        else NO_LEVEL.get(data.language, NO_LEVEL["en"]),
    }


def attachment_name(data: ReportData, period: Period) -> str:
    """``银行舆情日报-2026-11-28.pdf``: the report title and period, safe as a file name."""
    return _UNSAFE_FILENAME.sub("_", f"{data.title}-{period.key}") + ".pdf"


def compose_report_mail(data: ReportData, period: Period, pdf_path: Path, email: EmailSettings, *,
                        now: datetime, extra_template_dirs: Sequence[Path] = ()) -> ComposedMail:
    """The briefing mail for ``period``; raises :class:`MessageTooLarge` over the size limit."""
    route = email.route(period.kind)
    subject = _one_line(subject_prefix(data) + route.subject.format(**subject_fields(data, period)))
    name = attachment_name(data, period)
    html, text = render_bodies(data, attachment_name=name, extra_template_dirs=extra_template_dirs)
    msg = _headers(email, list(route.to), list(route.cc), subject, now.astimezone(data.window_start.tzinfo),
                   idstring=f"reportgen.{period.kind}.{period.key}")
    msg["List-Id"] = f"{_one_line(data.title)} <{period.kind}.{list_id(email)}>"
    msg["X-Reportgen-Period"] = f"{period.kind} {period.key}"
    msg.set_content(text, cte="base64")
    msg.add_alternative(html, subtype="html", cte="base64")
    try:
        pdf = pdf_path.read_bytes()
    except OSError as exc:
        raise DeliveryError(f"cannot read the report PDF {pdf_path}: {exc.strerror or exc}") from None
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    message = msg.as_bytes(policy=SMTP_POLICY)
    mail = ComposedMail(message, str(msg["Message-ID"]), subject, route.envelope)
    if over_size_limit(message, email):
        raise MessageTooLarge(
            f"the {period.kind} mail for {period.key} is {len(message) / 1048576:.1f} MB "
            f"(the PDF is {len(pdf) / 1048576:.1f} MB before base64), over email.max_size_mb = {email.max_size_mb:g}",
            hint=SIZE_HINT, mail=mail)
    return mail


def compose_test_mail(email: EmailSettings, recipients: Sequence[str], *, now: datetime) -> ComposedMail:
    """A small mail that proves host, TLS, login and recipients work (``reportgen send --test``)."""
    where = f"{email.host}:{email.port} ({email.security})"
    msg = _headers(email, list(recipients), [], "reportgen 测试邮件 / test mail", now, idstring="reportgen.test")
    body = (f"这是一封 reportgen 测试邮件。能收到它，说明邮件设置可用。\n"
            f"This is a test mail from reportgen: the mail settings work.\n\nSMTP: {where}\n"
            f"From: {email.sender}\nSent: {now.isoformat(timespec='seconds')}\n")
    msg.set_content(body, cte="base64")
    return ComposedMail(msg.as_bytes(policy=SMTP_POLICY), str(msg["Message-ID"]), str(msg["Subject"]),
                        tuple(addr for _, addr in (parseaddr(r) for r in recipients)))


def list_id(email: EmailSettings) -> str:
    return email.list_id or f"reportgen.{_domain(email)}"


def _headers(email: EmailSettings, to: list[str], cc: list[str], subject: str, when: datetime, *,
             idstring: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = email.sender or ""
    msg["To"] = ", ".join(to) if to else "undisclosed-recipients:;"
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(idstring=idstring, domain=_domain(email))
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    msg["X-Auto-Response-Suppress"] = "All"  # the same for Exchange
    return msg


def _domain(email: EmailSettings) -> str:
    return parseaddr(email.sender or "")[1].rpartition("@")[2] or socket.gethostname()


def _one_line(text: str) -> str:
    return re.sub(r"[\r\n]+", " ", text).strip()


# --- SMTP -----------------------------------------------------------------------------------------


class _Watchdog:
    """Shuts the connection down when a step of the SMTP session runs past ``seconds``.

    smtplib reads a reply line by line, each read under the socket timeout, so no timeout bounds a
    reply as a whole.  This thread waits for the step to end; at the deadline it shuts down the
    connection's socket (again, whenever smtplib has a new one: while connecting, after STARTTLS),
    and the blocked read returns at once with end of file.
    """

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.expired = False
        self._smtp = smtp
        self._seconds = seconds
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="smtp-deadline", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        if self._done.wait(self._seconds):
            return
        self.expired = True
        shut: set[int] = set()
        while True:  # until the step gives up: a socket may appear after the deadline (a slow connect)
            sock = getattr(self._smtp, "sock", None)
            if sock is not None and id(sock) not in shut:
                shut.add(id(sock))
                try:
                    # the plain socket's shutdown, also under TLS: unblocks the reader, leaves the TLS object be
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass
            if self._done.wait(0.05):
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


class SmtpSession:
    """One connection to the relay: connect, secure, log in on enter; ``send`` per message.

    After a failure that leaves the connection unusable, ``broken`` is set and the caller stops
    using it (the outbox then records the same error for the remaining messages).
    """

    def __init__(self, email: EmailSettings) -> None:
        if not email.enabled or not email.host:
            raise DeliveryError("mail is not configured", hint="add an [email] section with host and from")
        self.email = email
        self.where = f"SMTP server {email.host}:{email.port} ({email.security})"
        self.broken = False
        self._smtp: smtplib.SMTP | None = None

    @contextmanager
    def _deadline(self, smtp: smtplib.SMTP) -> Iterator[_Watchdog]:
        """One step of the session (connect and log in; one mail; quit) within ``email.deadline_s``."""
        watchdog = _Watchdog(smtp, self.email.deadline_s)
        try:
            yield watchdog
        finally:
            watchdog.stop()

    def _too_slow(self) -> DeliveryError:
        return DeliveryError(
            f"{self.where} too slow: no answer within {self.email.deadline_s:g} s overall",
            hint="the relay kept the connection busy without finishing its answer (overloaded, or a tarpit); "
                 "a queued mail stays queued and is retried by the next run or send. If the relay is just "
                 "slow, raise email.deadline_s")

    def __enter__(self) -> SmtpSession:
        self._smtp = self._connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        with self._deadline(smtp):
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        email = self.email
        context = ssl.create_default_context(cafile=str(email.ca_file) if email.ca_file else None)
        # gethostname, not smtplib's default getfqdn: a reverse lookup can hang on a server without DNS
        local = socket.gethostname()
        # made unconnected, so the deadline watches the greeting too (the constructor would read it)
        smtp = (smtplib.SMTP_SSL(local_hostname=local, timeout=email.timeout_s, context=context)
                if email.security == "tls" else smtplib.SMTP(local_hostname=local, timeout=email.timeout_s))
        # what the constructor would set: the name TLS verifies the certificate against
        smtp._host = email.host or ""  # type: ignore[attr-defined]
        with self._deadline(smtp) as watchdog:
            try:
                self._open(smtp, context)
            except DeliveryError:
                if watchdog.expired:
                    raise self._too_slow() from None
                raise
        return smtp

    def _open(self, smtp: smtplib.SMTP, context: ssl.SSLContext) -> None:
        """Connect, greet, secure and log in; any failure closes ``smtp`` and is a DeliveryError."""
        email = self.email
        assert email.host is not None
        try:
            code, greeting = smtp.connect(email.host, email.port)
            if code != 220:  # the constructor's check
                raise smtplib.SMTPConnectError(code, greeting)
            smtp.ehlo()
            if email.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(f"the {self.where} does not offer STARTTLS",
                                        hint='use security = "tls" (usually port 465) if it speaks TLS from the start')
                smtp.starttls(context=context)
                smtp.ehlo()
            else:
                if email.security == "none":
                    log.warning("sending mail to %s unencrypted (email.security = \"none\")", self.where)
            if email.username:
                self._login(smtp, email.username, email.password() or "")
        except DeliveryError:
            _close(smtp)
            raise
        except ssl.SSLCertVerificationError as exc:
            _close(smtp)
            raise DeliveryError(f"the TLS certificate of the {self.where} is not trusted: "
                                f"{exc.verify_message or exc.reason}",
                                hint="if the relay uses an internal CA, set email.ca_file to its PEM bundle") from None
        except ssl.SSLError as exc:
            _close(smtp)
            raise DeliveryError(f"TLS with the {self.where} failed: {exc.reason or exc}",
                                hint='check security: "starttls" (port 587) or "tls" (port 465)') from None
        except smtplib.SMTPResponseException as exc:
            _close(smtp)
            raise DeliveryError(f"the {self.where} answered {_reply(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            _close(smtp)
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise DeliveryError(f"cannot talk to the {self.where}: {reason}",
                                hint="check email.host and email.port, and that the relay is reachable") from None

    def _login(self, smtp: smtplib.SMTP, username: str, password: str) -> None:
        try:
            smtp.login(username, password)
        except smtplib.SMTPAuthenticationError as exc:
            source = (f"${self.email.password_env}" if self.email.password_env
                      else f"the file {self.email.password_file}")
            raise DeliveryError(f"the {self.where} refused the login as {username!r}: {_reply(exc)}",
                                hint=f"check the user name and the password in {source}") from None
        except smtplib.SMTPNotSupportedError:
            raise DeliveryError(f"the {self.where} does not offer AUTH on this connection",
                                hint="many relays offer login only after STARTTLS") from None

    def send(self, recipients: Sequence[str], message: bytes) -> dict[str, str]:
        """Hand one message over; return the recipients the server refused (when others were accepted)."""
        if self._smtp is None:
            raise DeliveryError(f"not connected to the {self.where}")
        sender = parseaddr(self.email.sender or "")[1]
        with self._deadline(self._smtp) as watchdog:
            try:
                return self._send(recipients, message, sender)
            except DeliveryError:
                if watchdog.expired:
                    self.broken = True
                    raise self._too_slow() from None
                raise

    def _send(self, recipients: Sequence[str], message: bytes, sender: str) -> dict[str, str]:
        assert self._smtp is not None
        try:
            refused = self._smtp.sendmail(sender, list(recipients), message)
        except smtplib.SMTPRecipientsRefused as exc:
            detail = "; ".join(f"{addr}: {code} {_text(text)}" for addr, (code, text) in exc.recipients.items())
            self._reset()
            raise DeliveryError(f"the {self.where} refused every recipient: {detail}") from None
        except smtplib.SMTPResponseException as exc:
            self._reset()
            raise DeliveryError(f"the {self.where} refused the mail: {_reply(exc)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self.broken = True
            raise DeliveryError(f"lost the {self.where} while sending: {exc or type(exc).__name__}") from None
        return {addr: f"{code} {_text(text)}" for addr, (code, text) in refused.items()}

    def _reset(self) -> None:
        assert self._smtp is not None
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.broken = True


def send_now(email: EmailSettings, mail: ComposedMail) -> dict[str, str]:
    """Connect, send one composed mail, disconnect; return refused recipients."""
    with SmtpSession(email) as session:
        return session.send(mail.recipients, mail.message)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except OSError:
            pass


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}".strip()
