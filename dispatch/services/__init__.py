"""Dispatch suggestions: serving (``suggest``), training (``model_train``) and recording."""

from dispatch.services.recording import request_collected, suggestions_record
from dispatch.services.serving import (
    CategoryScore,
    ModelInfo,
    SuggestionResult,
    active_ranker,
    suggest,
    suggest_many,
)
from dispatch.services.training import model_activate, model_train
from dispatch.services.units import UnitScore

__all__ = [
    "CategoryScore",
    "ModelInfo",
    "SuggestionResult",
    "UnitScore",
    "active_ranker",
    "model_activate",
    "model_train",
    "request_collected",
    "suggest",
    "suggest_many",
    "suggestions_record",
]
