"""Rule packs: the criterion models, the pack schema, and loading packs from YAML."""
