"""GraphQL schema of stratagraph: types, inputs, resolvers, data loaders and limits."""
