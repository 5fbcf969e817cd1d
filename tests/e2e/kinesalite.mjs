// Starts kinesalite, a Kinesis API server from npm that reshards as Kinesis does (moto moves a
// split shard's records into its children), on 127.0.0.1 — its own CLI listens on every
// interface — with stream changes taking effect at once.
//
//   node tests/e2e/kinesalite.mjs [PORT]     prints `listening on http://127.0.0.1:PORT`
import kinesalite from 'kinesalite';

const port = Number(process.argv[2] || 0);
const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
