// The progress of the running computes: the bar shows them together (tasks done / total
// and the elapsed time); while several run at once, each also has a row of its own below
// it, removed when it ends.
export function progressBar(root) {
  const bar = root.querySelector('.bar');
  const label = root.querySelector('.label');
  const rows = document.createElement('ol');
  rows.className = 'computes';
  rows.hidden = true;
  root.after(rows);
  const live = new Set();
  let t0 = 0;
  let serial = 0;
  let failed = false;
  const secs = (d) => ((performance.now() - t0) / 1000).toFixed(d);

  function draw() {
    let [done, total, running] = [0, 0, 0];
    for (const c of live) {
      done += c.p.done;
      total += c.p.total;
      running += c.p.running;
    }
    const pct = total ? (100 * done) / total : 100;
    bar.style.width = `${pct}%`;
    root.dataset.percent = pct.toFixed(0);
    root.dataset.computes = String(live.size);
    const many = live.size > 1 ? `${live.size} computes · ` : '';
    label.textContent = `${many}${done} / ${total} tasks · ${running} running · ${secs(1)} s`;
    rows.hidden = live.size < 2;
  }

  return {
    /** A compute started: its handle, `{update(progress), finish(ok)}`. */
    start() {
      if (!live.size) {
        t0 = performance.now();
        failed = false;
      }
      const c = { p: { done: 0, total: 0, running: 0 }, n: ++serial, row: document.createElement('li') };
      c.row.dataset.state = 'running';
      rows.append(c.row);
      live.add(c);
      root.dataset.state = 'running';
      draw();
      return {
        update(p) {
          c.p = p;
          c.row.textContent = `compute ${c.n}: ${p.done} / ${p.total} tasks`;
          c.row.style.setProperty('--pct', `${p.total ? (100 * p.done) / p.total : 100}%`);
          draw();
        },
        finish(ok) {
          if (!live.delete(c)) return;
          c.row.remove();
          failed ||= !ok;
          if (live.size) {
            draw();
            return;
          }
          rows.hidden = true;
          root.dataset.computes = '0';
          if (!failed) {
            bar.style.width = '100%';
            root.dataset.percent = '100';
          }
          root.dataset.state = failed ? 'failed' : 'done';
          label.textContent = `${label.textContent.split(' · ').find((s) => s.includes('tasks'))} · ${failed ? 'failed' : 'done'} in ${secs(2)} s`;
        },
      };
    },
  };
}
