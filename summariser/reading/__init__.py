"""Reading each passage once into facts whose quotes the tool has checked (issue 10)."""
