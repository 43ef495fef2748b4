"""Local stand-ins the demo starts for systems we do not run (no models, not an app)."""
