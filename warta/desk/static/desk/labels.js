// Labels are one comma-separated field. A datalist suggests whole values, so without this
// only the first label would be completed: here every known label not yet chosen is
// offered after what is already typed ("Ekonomi, " + "Nasional").
for (const input of document.querySelectorAll("input[list]")) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) continue;
  const names = [...list.options].map((option) => option.value);
  const refresh = () => {
    const chosen = input.value.split(",").slice(0, -1).map((name) => name.trim()).filter(Boolean);
    const prefix = chosen.length ? chosen.join(", ") + ", " : "";
    const taken = new Set(chosen.map((name) => name.toLowerCase()));
    list.replaceChildren(
      ...names
        .filter((name) => !taken.has(name.toLowerCase()))
        .map((name) => Object.assign(document.createElement("option"), { value: prefix + name })),
    );
  };
  input.addEventListener("input", refresh);
  refresh();
}
