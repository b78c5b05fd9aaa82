"""Reading a plan: the definition, the model, the reader and what it needs (coercion, cleaning, sniffing), the template."""
