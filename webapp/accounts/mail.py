"""Account emails through Flask-Mailman.

With MAIL_SERVER set, mail goes out over SMTP, in a background thread so that no request waits
on (or reveals anything through the timing of) a mail server. Without it, every message is
written to a file in instance/outbox, and also printed in debug, so a fresh machine can follow
a reset link without any mail set up.
"""

import os
import threading
from pathlib import Path
from typing import IO

from flask import Flask, current_app, render_template
from flask_mailman import EmailMessage
from flask_mailman.backends.console import EmailBackend as ConsoleEmailBackend
from flask_mailman.backends.file import EmailBackend as FileEmailBackend

from ..urls import external_url

# The journal's calendar feed still imports the old name from here.

OUTBOX_BACKEND = "webapp.accounts.mail.OutboxEmailBackend"


class OutboxEmailBackend(FileEmailBackend):
    """One file a message in the outbox folder, readable by the owner only; echoed in debug."""

    stream: IO[bytes] | None  # set by the base class: None until open()

    def open(self) -> bool:
        if self.stream is not None:
            return False
        fd = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.stream = os.fdopen(fd, "ab")
        return True

    def send_messages(self, email_messages) -> int:
        sent = super().send_messages(email_messages) or 0
        if email_messages and current_app.debug:
            ConsoleEmailBackend(mailman=self.mailman, fail_silently=self.fail_silently).send_messages(email_messages)
        return sent


def configure_mail(app: Flask) -> None:
    """Choose the backend before Flask-Mailman reads the settings."""
    config = app.config
    if not config.get("MAIL_BACKEND"):
        config["MAIL_BACKEND"] = "smtp" if config.get("MAIL_SERVER") else OUTBOX_BACKEND
    if not config.get("MAIL_FILE_PATH"):
        config["MAIL_FILE_PATH"] = str(Path(app.instance_path) / "outbox")
    if config["MAIL_BACKEND"] == OUTBOX_BACKEND:
        Path(config["MAIL_FILE_PATH"]).mkdir(mode=0o700, parents=True, exist_ok=True)
    if config.get("MAIL_SEND_IN_BACKGROUND") is None:
        config["MAIL_SEND_IN_BACKGROUND"] = config["MAIL_BACKEND"] == "smtp"


def build_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    body = render_template(template, site_name=current_app.config["SITE_NAME"], **context)
    return EmailMessage(subject=subject, body=body, to=[to])


def deliver(message: EmailMessage, kind: str) -> None:
    if current_app.config["MAIL_SEND_IN_BACKGROUND"]:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        threading.Thread(target=_send_with_app, args=(app, message, kind), daemon=True).start()
    else:
        _send(message, kind)


def _send_with_app(app: Flask, message: EmailMessage, kind: str) -> None:
    with app.app_context():
        _send(message, kind)


def _send(message: EmailMessage, kind: str) -> None:
    try:
        message.send()
    except Exception as error:  # a mail server being down must never break a page
        # The body holds links with tokens: name only the kind of email and the error's type.
        current_app.logger.error("Could not send the %s email (%s)", kind, type(error).__name__)


def reset_message(to: str, token: str) -> EmailMessage:
    return build_message(
        to,
        "Reset your Seedling password",
        "accounts/email/reset.txt",
        link=external_url("accounts.reset_password", token=token),
        minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60,
    )


def send_password_reset(to: str, token: str) -> None:
    deliver(reset_message(to, token), "password reset")


def send_password_changed(to: str) -> None:
    message = build_message(
        to,
        "Your Seedling password was changed",
        "accounts/email/password_changed.txt",
        reset_link=external_url("accounts.request_reset"),
    )
    deliver(message, "password changed")


def send_email_confirmation(new_address: str, token: str) -> None:
    message = build_message(
        new_address,
        "Confirm your new Seedling email address",
        "accounts/email/confirm_email.txt",
        link=external_url("accounts.confirm_email", token=token),
        minutes=current_app.config["EMAIL_CHANGE_TOKEN_MAX_AGE"] // 60,
    )
    deliver(message, "email confirmation")


ADDRESS_IN_USE_SUBJECTS = {
    "register": "Someone tried to register with your email address",
    "change": "Someone tried to use your email address on Seedling",
}


def send_address_in_use(to: str, attempt: str) -> None:
    """Instead of telling the person at the form that an address has an account, tell its owner."""
    message = build_message(
        to,
        ADDRESS_IN_USE_SUBJECTS[attempt],
        "accounts/email/address_in_use.txt",
        attempt=attempt,
        login_link=external_url("accounts.login"),
        reset_link=external_url("accounts.request_reset"),
    )
    deliver(message, "address in use")


def send_email_changed(old_address: str, new_address: str) -> None:
    message = build_message(
        old_address,
        "Your Seedling email address was changed",
        "accounts/email/email_changed.txt",
        new_address=new_address,
    )
    deliver(message, "email changed")
