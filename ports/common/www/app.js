// Refreshes the counters every second.
async function refresh() {
  const r = await fetch('/api/stats');
  document.getElementById('stats').textContent = JSON.stringify(await r.json(), null, 2);
}
refresh();
setInterval(refresh, 1000);
