// The media library's upload form without a click on the file picker: an image dropped on
// the form, or pasted anywhere on the page, is put in the form's file field and sent. The
// form works the same without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-drop-zone]");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var hint = form.querySelector(".media-drop-hint");
  if (!input || typeof DataTransfer === "undefined") return;
  if (hint) hint.hidden = false;

  function send(files) {
    var images = Array.prototype.filter.call(files, function (file) {
      return file.type.indexOf("image/") === 0 || /\.(jpe?g|png|webp|gif|avif)$/i.test(file.name);
    });
    if (!images.length) return false;
    var chosen = new DataTransfer();
    chosen.items.add(images[0]);
    input.files = chosen.files;
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.uploadingText || button.textContent;
    }
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }

  ["dragenter", "dragover"].forEach(function (name) {
    form.addEventListener(name, function (event) {
      event.preventDefault();
      form.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    form.addEventListener(name, function () { form.classList.remove("dragging"); });
  });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer) send(event.dataTransfer.files);
  });
  document.addEventListener("paste", function (event) {
    var target = event.target;
    if (target && target.type === "search") return;
    var data = event.clipboardData;
    if (data && data.files && data.files.length && send(data.files)) event.preventDefault();
  });
})();
