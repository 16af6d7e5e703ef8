"""The domain core: model, loader, date math, money, capacity. Imports nothing from Textual."""
