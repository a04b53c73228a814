import { Client } from '/dist/index.js';

const $ = (id) => document.getElementById(id);

function showProgress({ done, total }) {
  $('bar').style.width = `${total ? (100 * done) / total : 100}%`;
}

async function main() {
  const client = await Client.start();
  window.client = client;
  $('status').textContent =
    `threads: ${client.threads} · mode: ${client.mode} · crossOriginIsolated: ${globalThis.crossOriginIsolated === true}`;
  $('status').dataset.threads = client.threads;
  $('status').dataset.mode = client.mode;

  const x = client.array.ones([15, 15], { chunks: [5, 5] });
  const total = await x.sum().compute({ onProgress: showProgress });
  const cols = await x.sum({ axis: 0 }).compute({ onProgress: showProgress });
  $('result').textContent = `x.sum() = ${total}\nx.sum({axis: 0}) = [${Array.from(cols.data).join(', ')}]  shape ${JSON.stringify(cols.shape)}`;
  $('result').dataset.total = total;
  $('dot').textContent = await x.sum().toDot();
}

main().catch((e) => {
  $('result').textContent = String(e?.message ?? e);
  $('result').classList.add('error');
  $('status').dataset.error = 'true';
});
