"""The public site: course catalogue, registration, school sign-up and emailed-link pages."""
