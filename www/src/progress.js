// The progress bar of every compute: tasks done / total and the elapsed time.
export function progressBar(root) {
  const bar = root.querySelector('.bar');
  const label = root.querySelector('.label');
  let t0 = 0;
  let active = 0;
  return {
    start() {
      if (active++ === 0) t0 = performance.now();
      root.dataset.state = 'running';
    },
    update({ done, total, running }) {
      const pct = total ? (100 * done) / total : 100;
      bar.style.width = `${pct}%`;
      root.dataset.percent = pct.toFixed(0);
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      label.textContent = `${done} / ${total} tasks · ${running} running · ${secs} s`;
    },
    finish(ok) {
      if (--active > 0) return;
      const secs = ((performance.now() - t0) / 1000).toFixed(2);
      if (ok) {
        bar.style.width = '100%';
        root.dataset.percent = '100';
      }
      root.dataset.state = ok ? 'done' : 'failed';
      label.textContent = `${label.textContent.split(' · ')[0]} · ${ok ? 'done' : 'failed'} in ${secs} s`;
    },
  };
}
