// Python environments of the tests and benchmarks, created from PyPI: target/venv-<name>
// from a folder's pinned requirements.txt, (re)installed when missing or older than it.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.error?.message})`);
}

/**
 * The python of target/venv-`name`, after installing `requirements` (a path) into it
 * when it is new or the file changed.
 */
export function python(name, requirements) {
  const venv = join(root, 'target', `venv-${name}`);
  const py = join(venv, 'bin', 'python');
  const stamp = join(venv, '.installed');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(requirements).mtimeMs) return py;
  if (!existsSync(py)) run('python3', ['-m', 'venv', venv]);
  run(py, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirements]);
  run('touch', [stamp]);
  return py;
}
