"""IVIG helper: an Alexa skill that answers questions about IVIG from one patient
article and walks a person through a post-infusion symptom check."""

__version__ = "0.1.0"
