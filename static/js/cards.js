// Dealsite annotation cards
