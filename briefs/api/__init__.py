"""The JSON API under /api/v1/ (Django REST framework); see README "API"."""
