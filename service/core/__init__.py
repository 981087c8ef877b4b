"""The data core: settings, database, models, entity registry, query functions, dataset filter
and data version. It knows nothing of GraphQL, HTTP or file formats."""
