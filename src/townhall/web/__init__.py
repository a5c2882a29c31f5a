"""Public pages: the event page (registration comes next), rendered with Jinja2, no JavaScript needed."""
