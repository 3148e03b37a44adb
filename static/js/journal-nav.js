/* On a phone the journal's sections scroll sideways in one row: show the current one. */
(function () {
  "use strict";
  var current = document.querySelector(".journal-nav [aria-current]");
  if (!current) {
    return;
  }
  var strip = current.closest("ul");
  if (strip && strip.scrollWidth > strip.clientWidth) {
    strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
  }
})();
