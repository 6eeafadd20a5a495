// Copy buttons: copy the text of the element named by data-copy (the selection as fallback).
document.querySelectorAll(".sd-report button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var block = document.getElementById(button.dataset.copy);
    var text = block.innerText;
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(block); });
    } else {
      select(block);
    }
  });
});
function select(block) {
  var range = document.createRange();
  range.selectNodeContents(block);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try { document.execCommand("copy"); } catch (e) { /* the text stays selected */ }
}

// Sortable tables: a click on a header sorts by that column (numbers as numbers); again reverses.
document.querySelectorAll(".sd-report table[data-sortable] th").forEach(function (th, _) {
  th.addEventListener("click", function () {
    var table = th.closest("table");
    var column = Array.prototype.indexOf.call(th.parentNode.children, th);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.dataset.sorted !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { delete h.dataset.sorted; });
    th.dataset.sorted = ascending ? "ascending" : "descending";
    var key = function (row) {
      var text = row.cells[column].textContent.trim();
      var number = parseFloat(text.replace(/,/g, "").replace(/%$/, ""));
      return isNaN(number) || !/^[-+]?[\d.,]+(e[-+]?\d+)?%?$/i.test(text) ? text : number;
    };
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});

// A glossary link opens the glossary when it is folded.
document.querySelectorAll(".sd-report a.sd-term").forEach(function (link) {
  link.addEventListener("click", function () {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var folded = target && target.closest("details");
    if (folded) { folded.open = true; }
  });
});
