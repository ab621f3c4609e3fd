// The parts of Tiptap (https://tiptap.dev, MIT) the desk's editor uses, bundled into one
// ES module by build.mjs: static/desk/editor/tiptap.js. Warta's own glue is editor.js beside it.
export { Editor, Extension, mergeAttributes } from "@tiptap/core";
export { StarterKit } from "@tiptap/starter-kit";
export { Image } from "@tiptap/extension-image";
export { Placeholder } from "@tiptap/extensions";
export { Markdown } from "@tiptap/markdown";
export { Plugin, PluginKey } from "@tiptap/pm/state";
