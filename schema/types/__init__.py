"""GraphQL object types, enums and value objects of the schema."""
