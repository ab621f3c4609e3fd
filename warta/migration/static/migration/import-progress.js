// The import status page, moved along without reloading: poll the job's JSON status, move
// the <progress> bar, and reload once the import has finished (the report is in the page).
// The page refreshes itself every few seconds anyway (<meta http-equiv="refresh">), so it
// works without JavaScript, and when this file cannot load.
const job = document.querySelector(".import-job[data-status-url]");
if (job) {
  const bar = job.querySelector("progress");
  const state = job.querySelector(".import-state");
  const poll = async () => {
    try {
      const response = await fetch(job.dataset.statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const status = await response.json();
        bar.max = status.total;
        bar.value = status.done;
        bar.textContent = `${status.done} / ${status.total}`;
        state.textContent = status.status_label;
        if (status.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // The server is restarting, say: try again on the next tick.
    }
    window.setTimeout(poll, 500);
  };
  window.setTimeout(poll, 300);
}
