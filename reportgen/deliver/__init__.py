"""deliver: SMTP and the outbox of composed mails.  Decides nothing about what a mail says."""
