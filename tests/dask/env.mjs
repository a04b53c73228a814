// The Python environment of the dask export tests: target/venv-dask, created from PyPI
// with the pinned requirements.txt when missing or older than it. Returns its python.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const venv = join(root, 'target', 'venv-dask');
const requirements = join(import.meta.dirname, 'requirements.txt');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.error?.message})`);
}

/** The venv's python, after installing what is missing. */
export function python() {
  const py = join(venv, 'bin', 'python');
  const stamp = join(venv, '.installed');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(requirements).mtimeMs) return py;
  if (!existsSync(py)) run('python3', ['-m', 'venv', venv]);
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirements]);
  run('touch', [stamp]);
  return py;
}
