"""Configuration shared by both profiles; the standard profile adds to it in standard.py."""

from fwbench_common.orders import BODY_LIMIT_BYTES


class Base:
    DEBUG = False
    TESTING = False
    MAX_CONTENT_LENGTH = BODY_LIMIT_BYTES  # larger bodies: 413
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_RECORD_QUERIES = False
