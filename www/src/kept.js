// Picked files kept in the origin-private file system (OPFS) when the participant asks
// ("keep these files"), so that a reload does not mean picking 9,500 files again; what
// is kept comes back as disk-backed Files, read as picked ones are.

const DIR = 'daskling-files';

/** The folder of kept files (made when `create`); `null` without OPFS (or none kept). */
async function folder(create = false) {
  if (!navigator.storage?.getDirectory) return null;
  const root = await navigator.storage.getDirectory();
  try {
    return await root.getDirectoryHandle(DIR, { create });
  } catch {
    return null;
  }
}

/** Whether this browser can keep files. */
export const canKeep = () => !!navigator.storage?.getDirectory;

/** Writes `files` (`[{path, file}]`) under their paths, skipping those kept already. */
export async function keepFiles(files) {
  const top = await folder(true);
  if (!top) throw new Error('this browser has no origin-private file system to keep files in');
  for (const { path, file } of files) {
    const parts = path.split('/').filter(Boolean);
    let dir = top;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
    const name = parts.at(-1);
    const old = await dir.getFileHandle(name).catch(() => null);
    if (old && (await old.getFile()).size === file.size) continue;
    const handle = await dir.getFileHandle(name, { create: true });
    const w = await handle.createWritable();
    await w.write(file);
    await w.close();
  }
}

/** The kept files, each with its `relativePath`. */
export async function keptFiles() {
  const out = [];
  const walk = async (dir, prefix) => {
    for await (const [name, h] of dir.entries()) {
      if (h.kind === 'directory') await walk(h, `${prefix}${name}/`);
      else out.push(Object.assign(await h.getFile(), { relativePath: `${prefix}${name}` }));
    }
  };
  const top = await folder();
  if (top) await walk(top, '');
  return out;
}

/** Forgets every kept file. */
export async function forgetKept() {
  if (!navigator.storage?.getDirectory) return;
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(DIR, { recursive: true }).catch(() => {});
}
