// urql with its persisted-query exchange (automatic persisted queries), as an app
// would set it up, against a running graphql-api. Usage:
//   node apq_urql.mjs <http url> <api key> <POST|GET> <times>
// Prints one JSON line per answer: {"data": ..., "error": ...}.
import { Client, fetchExchange, gql } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

const [url, key, method, times] = process.argv.slice(2);

const client = new Client({
  url,
  exchanges: [
    persistedExchange({ preferGetForPersistedQueries: method === "GET" ? "force" : false }),
    fetchExchange,
  ],
  fetchOptions: { headers: { "X-Api-Key": key } },
  requestPolicy: "network-only",
});

const PAGE = gql`
  query Page($first: Int!) {
    team {
      auditEvents(first: $first) {
        nodes {
          eventId
          actionCode
        }
      }
    }
  }
`;

for (let i = 0; i < Number(times); i++) {
  const result = await client.query(PAGE, { first: 2 }).toPromise();
  console.log(JSON.stringify({ data: result.data ?? null, error: result.error?.message ?? null }));
}
