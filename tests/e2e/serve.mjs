// A tiny static file server for the built page (dist/), for the end-to-end tests.
//
//   node tests/e2e/serve.mjs [DIR] [PORT] [/PREFIX/=DIR2]…
//
// DIR defaults to dist/ at the repository root; PORT 0 (the default) picks a free one. Each
// /PREFIX/=DIR2 serves DIR2's files under /PREFIX/ too (the file bench serves DuckDB-WASM's npm
// files next to the page, so both load in the same page from one origin). Binds
// 127.0.0.1 only. Once listening it prints exactly one line to stdout,
//   listening on http://127.0.0.1:PORT/
// which scripts/test.sh waits for. Serves `application/wasm` so the browser can stream-compile.
import { createServer } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'dist'));
const port = Number(process.argv[3] ?? process.env.PORT ?? 0);
const host = '127.0.0.1';
/** [url prefix, directory], the page's root last. */
const roots = [];
for (const mount of process.argv.slice(4)) {
  const at = mount.indexOf('=');
  if (!mount.startsWith('/') || !mount.slice(0, at).endsWith('/') || at < 2) {
    console.error(`serve.mjs: ${mount}: expected /PREFIX/=DIR`);
    process.exit(2);
  }
  roots.push([mount.slice(0, at), path.resolve(mount.slice(at + 1))]);
}
roots.push(['/', root]);

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.sql': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function resolveFile(urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const [prefix, dir] = roots.find(([prefix]) => rel.startsWith(prefix));
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + rel.slice(prefix.length)));
  // Never serve anything outside the root (../ tricks are normalized away above; belt and braces).
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) {
      const index = path.join(file, 'index.html');
      const indexStat = await fs.stat(index);
      return { file: index, size: indexStat.size };
    }
    return { file, size: stat.size };
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed\n');
  }
  const { pathname } = new URL(req.url, `http://${host}`);
  const found = await resolveFile(pathname);
  if (!found) {
    return send(res, 404, `not found: ${pathname}\n`);
  }
  const type = MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': found.size,
    // Every run tests the build it was given, never a cached one.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(found.file)
    .on('error', () => res.destroy())
    .pipe(res);
});

server.on('error', (e) => {
  console.error(`serve.mjs: ${e.message}`);
  process.exit(1);
});

try {
  await fs.access(path.join(root, 'index.html'));
} catch {
  console.error(`serve.mjs: ${root} has no index.html (run \`trunk build --release\` first)`);
  process.exit(1);
}

server.listen(port, host, () => {
  console.log(`listening on http://${host}:${server.address().port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}
