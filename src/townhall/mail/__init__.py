"""Email: one function per message, transports (SMTP, .eml files) and the outbox worker."""
