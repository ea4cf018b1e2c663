// A plain static file server for the e2e tests, standing in for "any static host": serves a build at a
// chosen sub-path with ETag revalidation, can switch to another build (the update test), and counts
// what it sent so tests can report the bytes of a cold and a warm load.
import { createServer, type Server } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

export interface ServedRequest {
  path: string;
  status: number;
  bytes: number;
}

export interface StaticHost {
  /** The app's URL, ending in the sub-path and a slash. */
  url: string;
  /** Every request answered, in order. */
  log: ServedRequest[];
  /** Serve another build from now on (same URL). */
  serve: (dir: string) => void;
  close: () => Promise<void>;
}

export async function startStaticHost(dir: string, subPath = '/'): Promise<StaticHost> {
  let root = dir;
  const log: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
    const answer = (status: number, bytes = 0) => log.push({ path, status, bytes });
    // Like most static hosts: /visage → /visage/, so relative URLs resolve inside the app.
    if (`${path}/` === subPath) {
      res.writeHead(301, { location: subPath }).end();
      return answer(301);
    }
    if (!path.startsWith(subPath)) {
      res.writeHead(404).end();
      return answer(404);
    }
    let file = normalize(join(root, path.slice(subPath.length)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return answer(403);
    }
    let stat = statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      file = join(file, 'index.html');
      stat = statSync(file, { throwIfNoEntry: false });
    }
    if (!stat?.isFile()) {
      res.writeHead(404).end();
      return answer(404);
    }
    const etag = `"${stat.size.toString(16)}-${stat.mtimeMs.toString(16)}"`;
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return answer(304);
    }
    res.writeHead(200, { ...headers, 'content-length': stat.size });
    createReadStream(file).pipe(res);
    answer(200, stat.size);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static host has no port');
  return {
    url: `http://127.0.0.1:${address.port}${subPath}`,
    log,
    serve: (next) => {
      root = next;
    },
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
