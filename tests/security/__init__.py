"""Reliability and security: hostile input, the API schema under every role, faults of real services."""
