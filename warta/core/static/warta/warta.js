// Small enhancements only: every page works without this file.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.dataset.copy).then(() => {
    link.textContent = link.dataset.copied;
  });
});
