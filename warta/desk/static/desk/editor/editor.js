// Warta's desk editor: turns the body textarea of the post form into a rich editor (Tiptap,
// vendored in tiptap.js beside this file), and keeps every word: autosave to the server,
// an offline copy in this browser, and a live preview rendered by the reader's own templates.
//
// The textarea stays the form field. It is hidden and kept in sync on every change (Markdown,
// or HTML for a post whose body is HTML), so the form posts what it would post without
// JavaScript, and the page still works when this file or the bundle does not load.
// CSP: scripts from 'self' only; nothing here writes a style attribute from HTML.

const textarea = document.querySelector("textarea[data-rich-editor]");
const form = textarea && textarea.form;

// --------------------------------------------------------------------- strings (translated)
// The page renders them as data- attributes of #editor-strings (desk/_editor_strings.html).
const DEFAULTS = {
  toolbar: "Formatting",
  bold: "Bold",
  italic: "Italic",
  strike: "Strikethrough",
  heading2: "Heading",
  heading3: "Subheading",
  quote: "Quote",
  bulletList: "Bulleted list",
  orderedList: "Numbered list",
  link: "Link",
  image: "Insert image",
  alt: "Describe the image",
  altPrompt: "Describe the image for readers who cannot see it (alternative text):",
  undo: "Undo",
  redo: "Redo",
  linkPrompt: "Link address (empty removes the link)",
  placeholder: "Write the story…",
  editorLabel: "Body",
  saving: "Saving…",
  saved: "Saved at {time}",
  keptLocally: "Kept in this browser at {time}",
  offline: "Offline: kept in this browser. It is saved when the connection is back.",
  sessionEnded: "Your session has ended: the text is kept in this browser. Sign in again to save it.",
  signIn: "Sign in again",
  saveFailed: "Could not save ({error}): kept in this browser.",
  restoreOffer: "Text not yet saved, from {time}, is kept in this browser.",
  restore: "Restore it",
  discard: "Discard it",
  restored: "Restored the text kept in this browser.",
  uploading: "Uploading image…",
  uploaded: "Image uploaded.",
  uploadFailed: "Image not uploaded: {error}",
  previewTitle: "Preview",
  keptPlain:
    "This post has parts the rich editor cannot keep (e.g. tables or HTML): edit it here as it is.",
};
const stringsElement = document.getElementById("editor-strings");
const T = { ...DEFAULTS };
if (stringsElement) {
  for (const [key, value] of Object.entries(stringsElement.dataset)) if (value) T[key] = value;
}
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_m, name) => values[name] ?? "");
const lang = document.documentElement.lang || navigator.language;
const clock = (when) =>
  new Date(when).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });

// --------------------------------------------------------------------- the page's parts
const AUTOSAVE_EVERY = 5000; // ms between autosaves while someone types
const PREVIEW_AFTER = 1200; // ms of quiet before the preview is asked for again
const LOCAL_AFTER = 400; // ms of quiet before the offline copy is written

function csrfToken() {
  const field = form.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function formatField() {
  return form.elements.namedItem("body_format");
}

function bodyFormat() {
  const field = formatField();
  return (field && field.value) || "markdown";
}

// What the form would send, without its files and without the button pressed.
function formData() {
  const data = new FormData(form);
  for (const [name, value] of [...data.entries()]) {
    if (typeof value !== "string") data.delete(name);
  }
  data.delete("action");
  return data;
}

function fieldsOf(data) {
  const fields = [];
  for (const [name, value] of data.entries()) {
    if (name !== "csrfmiddlewaretoken") fields.push([name, value]);
  }
  return fields;
}

// --------------------------------------------------------------------- status line
const status = document.createElement("p");
status.className = "editor-status";
status.setAttribute("role", "status");
status.setAttribute("aria-live", "polite");

function say(text, { link } = {}) {
  status.textContent = text;
  status.dataset.state = text ? "shown" : "";
  if (link) {
    status.append(" ");
    const anchor = document.createElement("a");
    anchor.href = link.href;
    anchor.textContent = link.text;
    anchor.target = "_blank"; // the editor stays open, with its text, while signing in
    anchor.rel = "noopener";
    status.append(anchor);
  }
}

// --------------------------------------------------------------------- offline copy
function postId() {
  return textarea.dataset.postId || "new";
}

function localKey(id = postId()) {
  return `warta-draft:${location.host}:${id}`;
}

function readLocal(id) {
  try {
    return JSON.parse(localStorage.getItem(localKey(id)) || "null");
  } catch {
    return null;
  }
}

function writeLocal(copy, id) {
  try {
    localStorage.setItem(localKey(id), JSON.stringify(copy));
    return true;
  } catch {
    return false; // private mode or full: the server copy is all there is
  }
}

// Copies older than this are forgotten when an editor page opens.
const KEEP_LOCAL_DAYS = 30;

function pruneLocal() {
  try {
    const limit = Date.now() - KEEP_LOCAL_DAYS * 86400000;
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith("warta-draft:")) continue;
      const copy = JSON.parse(localStorage.getItem(key) || "null");
      if (!copy || !(copy.at > limit)) localStorage.removeItem(key);
    }
  } catch {
    /* nothing kept */
  }
}

function removeLocal(id) {
  try {
    localStorage.removeItem(localKey(id));
  } catch {
    /* nothing kept */
  }
}

// --------------------------------------------------------------------- body <-> editor
let editor = null; // the Tiptap editor when mounted
let syncing = false;
let touched = false; // until the writer changes something, the textarea keeps its own text

function bodyText() {
  if (!editor) return textarea.value;
  return bodyFormat() === "html" ? editor.getHTML() : editor.getMarkdown();
}

function syncTextarea() {
  if (!editor || !touched) return;
  const value = editor.isEmpty ? "" : bodyText();
  if (value !== textarea.value) textarea.value = value;
}

function setBody(value) {
  textarea.value = value;
  if (editor) {
    syncing = true;
    editor.commands.setContent(value, {
      contentType: bodyFormat() === "html" ? "html" : "markdown",
      emitUpdate: false,
    });
    syncing = false;
  }
}

// Tags a post in HTML may hold that the editor's schema keeps; anything else would be lost.
const KEPT_TAGS = new Set(
  ("P BR B STRONG I EM S DEL STRIKE A H1 H2 H3 H4 H5 H6 BLOCKQUOTE UL OL LI IMG HR PRE CODE " +
    "SPAN DIV U").split(" "),
);

// Markdown the editor would not give back: tables, raw HTML, footnotes, reference links.
const MARKDOWN_NOT_KEPT = [
  /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/m,
  /<\/?[a-z][a-z0-9-]*(\s[^>]*)?\/?>/i,
  /^\s{0,3}\[[^\]]+\]:\s*\S/m,
];

function markdownCanKeep(markdown) {
  return !MARKDOWN_NOT_KEPT.some((pattern) => pattern.test(markdown));
}

function editorCanKeep(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const element of doc.body.querySelectorAll("*")) {
    if (!KEPT_TAGS.has(element.tagName)) return false;
  }
  return true;
}

// --------------------------------------------------------------------- pasting from Word etc.
// ProseMirror's schema already drops what it does not know (styles, classes, spans, scripts);
// this turns Word's paragraphs-with-bullets into real lists and removes its own markup.
export function cleanPastedHTML(html) {
  html = html
    .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "")
    .replace(/<!\[(end)?if[^>]*>/gi, "") // shown-to-old-browsers blocks: keep what is inside
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    // Parsing style and event attributes counts as applying them under the CSP (and is
    // reported): they are read under other names (styles for Word's list levels), never kept.
    .replace(/<[a-z][^>]*>/gi, (tag) =>
      tag.replace(/\sstyle\s*=/gi, " data-pasted-style=").replace(/\son(\w+)\s*=/gi, " data-pasted-on$1="),
    );
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.querySelectorAll("script, style, meta, link, title, xml, template, iframe, object").forEach(
    (element) => element.remove(),
  );
  for (const element of [...doc.body.querySelectorAll("*")]) {
    if (element.tagName.includes(":")) element.replaceWith(...element.childNodes); // o:p, v:shape
  }
  // Word writes list items as <p class="MsoListParagraph" style="mso-list:l0 level1 lfo1">
  // with the bullet or number in a <span style="mso-list:Ignore">.
  const isListItem = (node) =>
    node.nodeType === 1 &&
    node.tagName === "P" &&
    /mso-list:\s*l\d+\s+level\d/i.test(node.dataset.pastedStyle || "");
  for (const first of [...doc.body.querySelectorAll("p")]) {
    if (!first.isConnected || !isListItem(first)) continue;
    if (first.previousElementSibling && isListItem(first.previousElementSibling)) continue;
    const items = [];
    for (let node = first; node && isListItem(node); node = node.nextElementSibling) items.push(node);
    const stack = [];
    for (const item of items) {
      const level = Number((item.dataset.pastedStyle.match(/level(\d+)/i) || [0, 1])[1]);
      const marker = item.querySelector("[data-pasted-style*='mso-list:Ignore' i]");
      const ordered = marker ? /^\s*[\w\d]{1,4}[.)]/.test(marker.textContent) : false;
      if (marker) marker.remove();
      while (stack.length > level) stack.pop();
      while (stack.length < level) {
        const list = doc.createElement(ordered ? "ol" : "ul");
        const parentItem = stack.length ? stack[stack.length - 1].lastElementChild : null;
        if (parentItem) parentItem.append(list);
        else item.before(list);
        stack.push(list);
      }
      const li = doc.createElement("li");
      li.append(...item.childNodes);
      stack[stack.length - 1].append(li);
      item.remove();
    }
  }
  // Google Docs and web pages say bold and italic with styles, which are about to go: as
  // tags instead. Google wraps the whole paste in <b style="font-weight:normal">.
  for (const element of [...doc.body.querySelectorAll("[data-pasted-style]")]) {
    const style = element.dataset.pastedStyle.toLowerCase();
    const normal = /(^|[;\s])font-weight\s*:\s*(normal|[1-4]00)\b/.test(style); // not mso-bidi-…
    if (normal && /^(B|STRONG)$/.test(element.tagName)) {
      element.replaceWith(...element.childNodes);
      continue;
    }
    if (/^(H\d|B|STRONG|TH)$/.test(element.tagName)) continue;
    const wrap = [];
    if (/(^|[;\s])font-weight\s*:\s*(bold|bolder|[6-9]00)\b/.test(style)) wrap.push("strong");
    if (/(^|[;\s])font-style\s*:\s*italic/.test(style)) wrap.push("em");
    if (/text-decoration[^;]*line-through/.test(style)) wrap.push("s");
    if (!wrap.length) continue;
    let inner = doc.createDocumentFragment();
    inner.append(...element.childNodes);
    for (const tag of wrap) {
      const mark = doc.createElement(tag);
      mark.append(inner);
      inner = mark;
    }
    element.append(inner);
  }
  // Readers' pages have the title as their one h1; body headings start at h2.
  for (const heading of [...doc.body.querySelectorAll("h1, h5, h6")]) {
    const replacement = doc.createElement(heading.tagName === "H1" ? "h2" : "h4");
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
  // Images only by an address a reader can load (Word pastes file:// and cid: ones).
  for (const image of [...doc.body.querySelectorAll("img")]) {
    if (!/^(https?:\/\/|\/)/i.test(image.getAttribute("src") || "")) image.remove();
  }
  for (const element of doc.body.querySelectorAll("*")) {
    element.removeAttribute("style");
    element.removeAttribute("class");
    for (const attribute of [...element.attributes]) {
      if (/^(on|data-pasted)/i.test(attribute.name)) element.removeAttribute(attribute.name);
    }
  }
  return doc.body.innerHTML;
}

// --------------------------------------------------------------------- image upload
async function uploadImage(file) {
  const url = textarea.dataset.uploadUrl;
  if (!url) return null;
  say(T.uploading);
  const data = new FormData();
  data.append("image", file, file.name || "image");
  let answer;
  try {
    const response = await fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    });
    answer = await response.json().catch(() => ({ ok: false, error: String(response.status) }));
  } catch (error) {
    answer = { ok: false, error: navigator.onLine ? String(error.message || error) : T.offline };
  }
  if (!answer.ok) {
    say(fill(T.uploadFailed, { error: answer.error || "?" }));
    return null;
  }
  say(T.uploaded);
  return answer;
}

function imageFiles(list) {
  return [...(list || [])].filter((file) => file.type.startsWith("image/"));
}

async function insertImages(files, position) {
  for (const file of files) {
    const answer = await uploadImage(file);
    if (!answer || !editor) continue;
    const alt = window.prompt(T.altPrompt, "");
    const node = { type: "image", attrs: { src: answer.url, alt: (alt || "").trim() } };
    const chain = editor.chain().focus();
    if (position != null) chain.insertContentAt(position, node);
    else chain.insertContent(node);
    chain.run();
  }
}

// --------------------------------------------------------------------- toolbar
const BUTTONS = [
  ["bold", "B", (c) => c.toggleBold(), (e) => e.isActive("bold")],
  ["italic", "I", (c) => c.toggleItalic(), (e) => e.isActive("italic")],
  ["strike", "S", (c) => c.toggleStrike(), (e) => e.isActive("strike")],
  ["heading2", "H2", (c) => c.toggleHeading({ level: 2 }), (e) => e.isActive("heading", { level: 2 })],
  ["heading3", "H3", (c) => c.toggleHeading({ level: 3 }), (e) => e.isActive("heading", { level: 3 })],
  ["quote", "❝", (c) => c.toggleBlockquote(), (e) => e.isActive("blockquote")],
  ["bulletList", "•", (c) => c.toggleBulletList(), (e) => e.isActive("bulletList")],
  ["orderedList", "1.", (c) => c.toggleOrderedList(), (e) => e.isActive("orderedList")],
  ["link", "svg:M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1", null, (e) => e.isActive("link")],
  ["image", "svg:M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15.5 9.5h.01", null, null],
  ["alt", "Alt", null, null],
  ["undo", "↶", (c) => c.undo(), null],
  ["redo", "↷", (c) => c.redo(), null],
];

// A button's face: a few letters, or a line drawing (no emoji font is needed).
function glyphOf(face) {
  if (!face.startsWith("svg:")) {
    const glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = face;
    return glyph;
  }
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", face.slice(4));
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "2");
  path.setAttribute("stroke-linecap", "round");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

function buildToolbar(fileInput) {
  const toolbar = document.createElement("div");
  toolbar.className = "editor-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", T.toolbar);
  toolbar.setAttribute("aria-controls", "rich-body");
  const buttons = [];
  for (const [name, face, command, active] of BUTTONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `editor-button editor-${name}`;
    button.dataset.command = name;
    button.setAttribute("aria-label", T[name]);
    button.title = T[name];
    button.append(glyphOf(face));
    if (active) button.setAttribute("aria-pressed", "false");
    button.tabIndex = buttons.length === 0 ? 0 : -1;
    button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
    button.addEventListener("click", () => {
      if (!editor) return;
      if (name === "link") return editLink();
      if (name === "image") return fileInput.click();
      if (name === "alt") return editAlt();
      command(editor.chain().focus()).run();
    });
    button._active = active;
    buttons.push(button);
    toolbar.append(button);
  }
  // One tab stop; arrows, Home and End move along the toolbar (the ARIA toolbar pattern).
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + buttons.length) % buttons.length;
    buttons[index].tabIndex = -1;
    buttons[next].tabIndex = 0;
    buttons[next].focus();
  });
  toolbar.refresh = () => {
    for (const button of buttons) {
      if (button._active) button.setAttribute("aria-pressed", String(button._active(editor)));
    }
    // Only an image has a description: the button stays in the tab order, but says so.
    const alt = toolbar.querySelector(".editor-alt");
    alt.setAttribute("aria-disabled", String(!editor.isActive("image")));
  };
  return toolbar;
}

function editAlt() {
  if (!editor.isActive("image")) return;
  const alt = window.prompt(T.altPrompt, editor.getAttributes("image").alt || "");
  if (alt === null) return;
  editor.chain().focus().updateAttributes("image", { alt: alt.trim() }).run();
}

function editLink() {
  const previous = editor.getAttributes("link").href || "";
  const href = window.prompt(T.linkPrompt, previous || "https://");
  if (href === null) return;
  const chain = editor.chain().focus().extendMarkRange("link");
  if (!href.trim() || href.trim() === "https://") chain.unsetLink().run();
  else chain.setLink({ href: href.trim() }).run();
}

// --------------------------------------------------------------------- mounting
async function mount() {
  const keeps = bodyFormat() === "html" ? editorCanKeep : markdownCanKeep;
  if (textarea.value && !keeps(textarea.value)) {
    const note = document.createElement("p");
    note.className = "editor-note";
    note.textContent = T.keptPlain;
    textarea.before(note);
    return;
  }
  const bundle = textarea.dataset.editorBundle || new URL("./tiptap.js", import.meta.url).href;
  const { Editor, StarterKit, Image, Placeholder, Markdown } = await import(bundle);

  const wrapper = document.createElement("div");
  wrapper.className = "rich-editor";
  const fileInput = document.createElement("input");
  fileInput.type = "file";
  fileInput.accept = "image/jpeg,image/png,image/webp,image/gif";
  fileInput.multiple = true;
  fileInput.hidden = true;
  fileInput.tabIndex = -1;
  fileInput.addEventListener("change", () => {
    insertImages(imageFiles(fileInput.files));
    fileInput.value = "";
  });
  const toolbar = buildToolbar(fileInput);
  const surface = document.createElement("div");
  surface.className = "rich-editor-surface";
  wrapper.append(toolbar, surface, fileInput);

  const label = form.querySelector(`label[for="${textarea.id}"]`);
  const labelText = (label && label.textContent.trim()) || T.editorLabel;
  const attributes = {
    id: "rich-body",
    role: "textbox",
    "aria-multiline": "true",
    "aria-label": labelText,
    class: "rich-editor-content",
  };
  const described = textarea.getAttribute("aria-describedby");
  if (described) attributes["aria-describedby"] = described;
  if (textarea.getAttribute("aria-invalid")) attributes["aria-invalid"] = "true";

  const format = bodyFormat();
  editor = new Editor({
    element: surface,
    injectCSS: false, // CSP allows no inline <style>: editor.css has ProseMirror's rules
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        underline: false, // Markdown has no underline; Word's <u> becomes plain text
        link: {
          openOnClick: false,
          autolink: true,
          protocols: ["http", "https", "mailto", "tel"],
          HTMLAttributes: { rel: null, target: null, class: null },
        },
      }),
      Image.configure({ inline: false, allowBase64: false }),
      Placeholder.configure({ placeholder: T.placeholder }),
      Markdown,
    ],
    content: textarea.value,
    contentType: format === "html" ? "html" : "markdown",
    editorProps: {
      attributes,
      transformPastedHTML: cleanPastedHTML,
      handleKeyDown(view, event) {
        if (event.altKey && event.key === "F10") {
          // The usual way back from the text to an editor's toolbar.
          event.preventDefault();
          toolbar.querySelector("[tabindex='0']").focus();
          return true;
        }
        if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "k") {
          event.preventDefault();
          editLink();
          return true;
        }
        return false;
      },
      handlePaste(view, event) {
        const data = event.clipboardData;
        // Word and web pages also put a picture of the selection on the clipboard: text wins.
        if (!data || data.types.includes("text/html") || data.types.includes("text/plain")) {
          return false;
        }
        const files = imageFiles(data.files);
        if (!files.length) return false;
        event.preventDefault();
        insertImages(files);
        return true;
      },
      handleDrop(view, event, _slice, moved) {
        if (moved) return false;
        const files = imageFiles(event.dataTransfer && event.dataTransfer.files);
        if (!files.length) return false;
        event.preventDefault();
        const place = view.posAtCoords({ left: event.clientX, top: event.clientY });
        insertImages(files, place ? place.pos : null);
        return true;
      },
    },
    onUpdate() {
      if (syncing) return;
      touched = true;
      syncTextarea();
      changed();
    },
    onSelectionUpdate: () => toolbar.refresh(),
    onTransaction: () => toolbar.refresh(),
  });

  textarea.hidden = true;
  textarea.before(wrapper);
  wrapper.after(status);
  if (label) {
    label.id = label.id || `${textarea.id}-label`;
    editor.view.dom.setAttribute("aria-labelledby", label.id);
    editor.view.dom.removeAttribute("aria-label");
    label.addEventListener("click", (event) => {
      event.preventDefault();
      editor.commands.focus();
    });
  }
  // When the server sends the form back with errors the textarea is what counts.
  const field = formatField();
  if (field && !field.value) field.value = "markdown";
  toolbar.refresh();
  wrapper.dataset.ready = "true";
  document.documentElement.dataset.richEditor = "ready";
}

// --------------------------------------------------------------------- saving
let dirty = false;
let lastSaved = null; // the fields as the server last had them, JSON
let saving = null;
let localTimer = null;
let previewTimer = null;
let submitting = false;

function currentFields() {
  syncTextarea();
  return fieldsOf(formData());
}

function keepLocally() {
  const fields = currentFields();
  const copy = { at: Date.now(), fields, synced: JSON.stringify(fields) === lastSaved };
  if (writeLocal(copy)) return copy;
  return null;
}

function changed() {
  dirty = true;
  clearTimeout(localTimer);
  localTimer = setTimeout(keepLocally, LOCAL_AFTER);
  schedulePreview();
}

async function autosave({ leaving = false } = {}) {
  const url = textarea.dataset.autosaveUrl;
  if (!url || !dirty) return;
  if (saving && !leaving) return;
  if (submitting) return; // the form itself is being sent: no second draft beside it
  syncTextarea();
  const data = formData();
  const fields = JSON.stringify(fieldsOf(data));
  dirty = false;
  keepLocally();
  const options = {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
  };
  if (leaving) {
    // The page is going away: the request must outlive it (the CSRF token is in the body too).
    options.keepalive = true;
    dirty = true; // not known to have arrived: the copy in this browser stays unsynced
    fetch(url, options).catch(() => {
      if (navigator.sendBeacon && navigator.onLine) navigator.sendBeacon(url, data);
    });
    return;
  }
  if (!navigator.onLine) {
    dirty = true;
    say(T.offline);
    return;
  }
  say(T.saving);
  saving = (async () => {
    let response;
    try {
      response = await fetch(url, options);
    } catch {
      dirty = true;
      say(T.offline);
      return;
    }
    const answer = await response.json().catch(() => ({ ok: false, error: String(response.status) }));
    if (response.status === 401 || answer.login_url) {
      dirty = true;
      say(T.sessionEnded, answer.login_url ? { link: { href: answer.login_url, text: T.signIn } } : {});
      return;
    }
    if (!answer.ok) {
      dirty = true;
      say(fill(T.saveFailed, { error: answer.error || response.status }));
      return;
    }
    lastSaved = fields;
    if (answer.edit_url) adopt(answer);
    keepLocally(); // synced, unless more was typed while this was on its way
    if (answer.saved_at) textarea.dataset.savedAt = answer.saved_at;
    say(fill(T.saved, { time: clock(answer.saved_at || Date.now()) }));
  })();
  await saving;
  saving = null;
}

// A new post got its draft on the first autosave: from now on it is that post.
function adopt(answer) {
  const before = postId();
  const match = answer.edit_url.match(/(\d+)\/?(?:edit\/?)?$/) || answer.edit_url.match(/(\d+)/);
  if (answer.post_id || match) {
    textarea.dataset.postId = String(answer.post_id || match[1]);
    if (before !== textarea.dataset.postId) removeLocal(before);
  }
  if (answer.autosave_url) textarea.dataset.autosaveUrl = answer.autosave_url;
  if (answer.preview_url) textarea.dataset.previewUrl = answer.preview_url;
  if (answer.form_action || answer.edit_url) form.action = answer.form_action || answer.edit_url;
  try {
    history.replaceState(history.state, "", answer.edit_url);
  } catch {
    /* another origin: keep the address */
  }
}

// --------------------------------------------------------------------- restoring
function applyFields(fields) {
  const byName = new Map();
  for (const [name, value] of fields) {
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(value);
  }
  for (const [name, values] of byName) {
    if (name === "body" || name === "version") continue;
    const field = form.elements.namedItem(name);
    if (!field) continue;
    const list = field instanceof RadioNodeList ? [...field] : [field];
    for (const element of list) {
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.includes(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else if (element.type !== "file" && element.type !== "submit") {
        element.value = values[0];
      }
    }
  }
  // Checkboxes left out of the copy were unticked.
  for (const element of form.querySelectorAll("input[type=checkbox][name]")) {
    if (!byName.has(element.name)) element.checked = false;
  }
  const body = fields.find(([name]) => name === "body");
  if (body) setBody(body[1]);
}

function offerRestore() {
  const copy = readLocal();
  if (!copy || copy.synced || !Array.isArray(copy.fields)) return;
  // Offered whenever it holds text the page does not show and the server never confirmed
  // (a lost connection, an ended session, a tab closed before the last autosave). A copy
  // kept when the form was sent is dropped once the server has something newer.
  const server = Date.parse(textarea.dataset.savedAt || "") || 0;
  const differs = JSON.stringify(copy.fields) !== JSON.stringify(currentFields());
  if (!differs || (copy.submitted && server && copy.at <= server)) {
    removeLocal();
    return;
  }
  const box = document.createElement("div");
  box.className = "editor-restore";
  box.setAttribute("role", "alert");
  const text = document.createElement("p");
  text.textContent = fill(T.restoreOffer, { time: new Date(copy.at).toLocaleString(lang) });
  const restore = document.createElement("button");
  restore.type = "button";
  restore.textContent = T.restore;
  restore.className = "editor-restore-yes";
  const discard = document.createElement("button");
  discard.type = "button";
  discard.textContent = T.discard;
  discard.className = "editor-restore-no";
  box.append(text, restore, " ", discard);
  (editor ? document.querySelector(".rich-editor") : textarea).before(box);
  restore.addEventListener("click", () => {
    applyFields(copy.fields);
    box.remove();
    dirty = true;
    say(T.restored);
    keepLocally();
    schedulePreview();
    (editor ? editor.commands : textarea).focus();
  });
  discard.addEventListener("click", () => {
    removeLocal();
    box.remove();
    (editor ? editor.commands : textarea).focus();
  });
}

// --------------------------------------------------------------------- live preview
const previewBox = document.getElementById("live-preview");
let previewFrame = null;
let previewRun = 0;

function schedulePreview() {
  if (!previewBox || !textarea.dataset.previewUrl) return;
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, PREVIEW_AFTER);
}

async function preview() {
  const run = ++previewRun;
  let html;
  try {
    const response = await fetch(textarea.dataset.previewUrl, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    });
    if (!response.ok) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    if (run === previewRun && previewBox.hidden === false) previewBox.dataset.stale = "true";
    return;
  }
  if (run !== previewRun) return; // a newer one is on its way
  if (!previewFrame) {
    previewFrame = document.createElement("iframe");
    // No scripts run in it; same origin only so the reader's stylesheet loads.
    previewFrame.setAttribute("sandbox", "allow-same-origin");
    previewFrame.title = T.previewTitle;
    previewFrame.className = "live-preview-frame";
    previewBox.replaceChildren(previewFrame);
  }
  previewFrame.srcdoc = html;
  delete previewBox.dataset.stale;
  previewBox.hidden = false;
}

// --------------------------------------------------------------------- start
async function start() {
  try {
    await mount();
  } catch (error) {
    console.error("Warta editor: the rich editor did not start; the plain form is used.", error);
    textarea.hidden = false;
  }
  if (!status.isConnected) textarea.after(status);
  lastSaved = JSON.stringify(currentFields()); // the form as the server gave it
  pruneLocal();
  offerRestore();

  form.addEventListener("input", (event) => {
    if (event.target !== textarea || !editor) changed();
  });
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    syncTextarea();
    // The Preview button opens a new tab: this page stays, and goes on autosaving.
    if (event.submitter && event.submitter.value === "preview") return;
    submitting = true;
    // Kept until the page that comes back shows the save took (it is newer then).
    const copy = keepLocally();
    if (copy) {
      copy.submitted = true;
      writeLocal(copy);
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitting = false; // back from the next page, this one is live again
  });
  setInterval(() => autosave(), AUTOSAVE_EVERY);
  window.addEventListener("online", () => autosave());
  window.addEventListener("offline", () => {
    if (dirty) say(T.offline);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      keepLocally();
      autosave({ leaving: true });
    }
  });
  window.addEventListener("pagehide", () => {
    keepLocally();
    autosave({ leaving: true });
  });
  if (previewBox) schedulePreview();
}

if (textarea && form) start();
