// PostGraphile v5 over stratagraph's own tables, for benchmarks/graphql_side_by_side.py.
// DATABASE_URL and PORT come from the environment; everything else is PostGraphile's
// defaults (Amber preset) plus the connection-filter plugin. PgIndexBehaviorsPlugin is off so
// that columns without an index of their own (a task's or milestone's position) can order a
// connection, as stratagraph's orderings do.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

export default {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { port: Number(process.env.PORT ?? 5678), host: "127.0.0.1", graphiql: false },
};
