"""One module per body of the EU machinery (issue 2). Actors talk only through the bus."""
