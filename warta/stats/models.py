"""Page views counted without identifying a reader."""
