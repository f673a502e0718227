"""Pack templates as text: their policy and analysis, below both packs and rendering."""
