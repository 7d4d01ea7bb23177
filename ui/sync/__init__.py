"""Offline field laptops in the window: the status-bar text, the 同步 action, the conflicts dialog."""
