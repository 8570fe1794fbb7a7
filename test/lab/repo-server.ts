// The lab's apt repository server: static files over HTTP on the lab bridge address, with an access log.
// Run detached by the lab: node dist/test/lab/repo-server.js WWW_DIR ADDRESS PORT ACCESS_LOG
import { createReadStream, appendFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const [wwwDir, address, portText, accessLog] = process.argv.slice(2);
if (!wwwDir || !address || !portText || !accessLog) {
  process.stderr.write('usage: repo-server.js WWW_DIR ADDRESS PORT ACCESS_LOG\n');
  process.exit(2);
}
const root: string = wwwDir;
const log: string = accessLog;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://lab');
  // normalize() resolves every "..", and a path that still climbs is refused: nothing outside WWW_DIR is served.
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
  let status = 404;
  let size = 0;
  try {
    if (rel.startsWith('..') || (req.method !== 'GET' && req.method !== 'HEAD')) throw new Error('refused');
    const file = join(root, rel);
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    status = 200;
    size = st.size;
    res.writeHead(200, { 'content-length': st.size, 'last-modified': st.mtime.toUTCString() });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  }
  appendFileSync(log, `${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} ${req.method} ${url.pathname} ${status} ${size}\n`);
});
server.listen(Number(portText), address, () => {
  process.stdout.write(`serving ${root} on http://${address}:${portText}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
