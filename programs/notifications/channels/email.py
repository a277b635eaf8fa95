"""E-mail through Django's mail (``EMAIL_URL``; the console in development), plain text and
HTML, with a one-click unsubscribe link (RFC 8058) that needs no login."""

from django.core.mail import EmailMultiAlternatives

from programs.models import NotificationChannel

from .base import ChannelBackend, DeliveryError


class EmailChannel(ChannelBackend):
    name = NotificationChannel.EMAIL
    for_members = True

    def reaches(self, recipient) -> bool:
        return bool(recipient.email)

    def address(self, recipient) -> str:
        return recipient.email

    def send(self, notification, message) -> None:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            to=[notification.address],
            headers={
                "List-Unsubscribe": f"<{message.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        email.attach_alternative(message.html, "text/html")
        try:
            email.send()
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
