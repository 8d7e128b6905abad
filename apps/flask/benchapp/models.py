"""ORM mappings of the shared schema (created and seeded by apps/dbtool.py, not by this app)."""

from .extensions import db


class World(db.Model):
    __tablename__ = "world"
    id = db.Column(db.Integer, primary_key=True)
    randomnumber = db.Column(db.Integer, nullable=False)

    def to_dict(self) -> dict:
        return {"id": self.id, "randomNumber": self.randomnumber}


class Fortune(db.Model):
    __tablename__ = "fortune"
    id = db.Column(db.Integer, primary_key=True)
    message = db.Column(db.String(2048), nullable=False)
