"""sparql stage."""
