"""The web playground: `python -m micrograd playground` serves a page where a learner
steps through forward and backward on an expression of their own, and trains a small
network on points they place, with one point's graph live (see server.py).
"""
