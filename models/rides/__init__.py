"""Grocery rides (boodschappenritten): volunteer drivers, seats, waiting lists, reminders,
weekly series, and coordinators who book for neighbours without a phone."""
