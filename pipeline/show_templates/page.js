// Link highlights in the text and rows of the records table: hovering one lights up the other,
// clicking a highlight scrolls its record's row into view.
(function () {
  "use strict";
  function marksOf(key) {
    return document.querySelectorAll('.hl[data-keys~="' + CSS.escape(key) + '"]');
  }
  function setActive(keys, on) {
    keys.forEach(function (key) {
      marksOf(key).forEach(function (el) { el.classList.toggle("active", on); });
      var row = document.getElementById("rec-" + key);
      if (row) { row.classList.toggle("active", on); }
    });
  }
  document.querySelectorAll("tr.rec[data-key]").forEach(function (row) {
    var keys = [row.dataset.key];
    row.addEventListener("mouseenter", function () { setActive(keys, true); });
    row.addEventListener("mouseleave", function () { setActive(keys, false); });
  });
  document.querySelectorAll(".hl[data-keys]").forEach(function (el) {
    var keys = el.dataset.keys.split(" ").filter(Boolean);
    el.addEventListener("mouseenter", function () { setActive(keys, true); });
    el.addEventListener("mouseleave", function () { setActive(keys, false); });
    el.addEventListener("click", function () {
      var row = document.getElementById("rec-" + keys[keys.length - 1]);
      if (row) { row.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    });
  });
})();
