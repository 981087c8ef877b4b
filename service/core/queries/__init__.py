"""GraphQL-agnostic query functions of the data core: Core selects returning plain rows."""
