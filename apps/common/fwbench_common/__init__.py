"""Plain Python shared by every reference app, so only the framework's own work differs.

Importable when `apps/common` is on sys.path (apps/frameworks.json lists it per framework).
"""
