"""The Qt-free workflow model, validation and execution (runs on headless engines too)."""
