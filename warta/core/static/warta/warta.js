// Small enhancements only: every page works without this file.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-copy]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.dataset.copy).then(() => {
    link.textContent = link.dataset.copied;
  });
});

// The phone's own share sheet, where the browser has one: the share row's links stay for
// every other browser, and for readers without JavaScript.
if (navigator.share) {
  for (const button of document.querySelectorAll("[data-share-url]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(() => {});
    });
  }
}
