// Copy buttons: copy the text of the element named by data-copy.
document.querySelectorAll(".sd-report button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var text = document.getElementById(button.dataset.copy).innerText;
    if (navigator.clipboard) { navigator.clipboard.writeText(text); }
    button.textContent = "Copied";
  });
});
