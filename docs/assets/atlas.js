/* Paper Atlas: where the site's address was not configured (no site_url),
   permalinks are written relative ("./"); make them absolute in the browser
   so the ready-to-paste snippets work wherever the site is hosted. */
(function () {
  function absolutize() {
    document.querySelectorAll("[data-permalink]").forEach(function (box) {
      var rel = box.getAttribute("data-permalink");
      if (/^https?:/.test(rel)) return;
      var abs = new URL(rel, window.location.href).href;
      box.querySelectorAll("a").forEach(function (a) { if (a.getAttribute("href") === rel) a.textContent = abs; });
      box.querySelectorAll(".pa-snippet").forEach(function (code) {
        code.textContent = code.textContent.split("(" + rel + ")").join("(" + abs + ")").split("[" + rel + " ").join("[" + abs + " ");
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", absolutize);
  else absolutize();
})();
