// PostGraphile 5 peer of bench/http_bench.py: the database's tables as GraphQL, one process.
//   DATABASE_URL=postgres://... PORT=8003 node server.mjs
// The Amber preset over the `public` schema (audit_events, users, ...), mutations
// off, GraphiQL, watch mode and explain off; the bench sets NODE_ENV=production.

// PostGraphile 5 asks for Node.js 22, whose Promise.withResolvers is the one thing
// it uses that Node.js 20 lacks: supply it there, before PostGraphile loads.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new this((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise, resolve, reject };
  };
}

const { createServer } = await import("node:http");
const { postgraphile } = await import("postgraphile");
const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
const { makePgService } = await import("postgraphile/adaptors/pg");
const { grafserv } = await import("postgraphile/grafserv/node");

const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgMutationCreatePlugin", "PgMutationUpdateDeletePlugin"],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
serv.addTo(server).catch((error) => {
  console.error(error);
  process.exit(1);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log(`postgraphile listening on ${process.env.PORT}`);
});
