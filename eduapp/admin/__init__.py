"""Admins' pages: finding accounts and changing them (role, deactivation, reset links,
sign-in lockouts), every change audited."""
