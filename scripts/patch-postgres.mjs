#!/usr/bin/env node
// postinstall: two defects of postgres.js 3.4.9 that a PostgreSQL restart sets off (issue 18, scenario 6), fixed
// upstream in open pull requests (porsager/postgres#1168, #1209, see #1208) but not released. Applied to each build
// of the driver (ESM, CommonJS, Cloudflare); a file already patched is left alone; a driver whose code is not the
// code patched here stops the install, so that an upgrade cannot silently drop the fix.
//
// 1. A connection that closes cancels its pending write but keeps `nextWriteTimer` and the buffered `chunk`: once
//    it reconnects, `write()` believes a flush is scheduled and never schedules one, so every small query on that
//    connection waits forever (seen as a request hanging after the restart).
// 2. A flush scheduled before the close runs after it and writes to a null socket: a TypeError thrown from
//    `setImmediate`, which no caller can catch, ends the process. The flush now settles its queries with
//    CONNECTION_CLOSED instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const driver = fileURLToPath(new URL('../node_modules/postgres', import.meta.url));
const MARK = '/* tongban: patched (scripts/patch-postgres.mjs) */';
const EDITS = [
  {
    from: '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    to: "  function nextWrite(fn) {\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)",
  },
  { from: '    clearImmediate(nextWriteTimer)\n    if (socket) {', to: '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {' },
  { from: '    remaining = 0\n    incomings = null\n    clearImmediate(nextWriteTimer)\n', to: '    remaining = 0\n    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n' },
];

for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = join(driver, build, 'connection.js');
  let code = readFileSync(file, 'utf8');
  if (code.startsWith(MARK)) continue;
  for (const { from, to } of EDITS) {
    if (code.split(from).length !== 2) throw new Error(`patch-postgres: ${file} is not the postgres.js 3.4.9 this patch was written for; check whether the upstream fix is released`);
    code = code.replace(from, to);
  }
  writeFileSync(file, `${MARK}\n${code}`);
}
