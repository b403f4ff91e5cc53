// Placeholder until the CLI lands.
print("emorl")
