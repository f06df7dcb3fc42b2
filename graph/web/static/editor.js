// Ctrl+Enter (or Cmd+Enter) in the query box runs the query.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("query");
  const form = document.getElementById("editor");
  if (!box || !form) return;
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
});
