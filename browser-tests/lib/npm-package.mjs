// One file of an npm package that is not installed: fetched with `npm pack` (npm's own client and cache,
// no dependencies), checked against the integrity the registry published for that version, then read out
// of the tarball. For packages whose dependencies the tests do not need (umami ships its tracker inside
// a whole web application).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function packedFile(spec, integrity, path) {
  const dir = mkdtempSync(join(tmpdir(), 'hitkeep-npm-'));
  try {
    const tarball = join(dir, execFileSync('npm', ['pack', '--prefer-offline', '--silent', spec], { cwd: dir })
      .toString().trim().split('\n').pop());
    const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (actual !== integrity) throw new Error(`${spec}: integrity ${actual}, wanted ${integrity}`);
    return execFileSync('tar', ['-xzOf', tarball, `package/${path}`]).toString();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
