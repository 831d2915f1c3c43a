"""The one-to-one agenda in chat: talking points, the next one-to-one, the prep card, and
"did you meet?"."""
