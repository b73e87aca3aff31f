// Line numbers beside the brief body, numbered as the markup errors number lines ("…, line 12"):
// one per line of the text, placed level with the first row of that line when it wraps. A hidden
// mirror with the textarea's width and font measures each line's height. External file, and styles
// set through the CSSOM only: it runs under the site's Content-Security-Policy.
(function () {
  "use strict";

  var COPIED = ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "paddingLeft",
    "paddingRight", "borderLeftWidth", "borderRightWidth", "tabSize"];

  function attach(textarea) {
    var wrap = document.createElement("div");
    wrap.className = "briefs-lined";
    var gutter = document.createElement("div");
    gutter.className = "briefs-gutter";
    gutter.setAttribute("aria-hidden", "true");
    var numbers = document.createElement("div");
    numbers.className = "briefs-gutter-lines";
    gutter.appendChild(numbers);
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(gutter);
    wrap.appendChild(textarea);
    var mirror = document.createElement("div");
    mirror.className = "briefs-mirror";
    mirror.setAttribute("aria-hidden", "true");
    document.body.appendChild(mirror);

    function render() {
      var style = window.getComputedStyle(textarea);
      COPIED.forEach(function (name) { mirror.style[name] = style[name]; });
      mirror.style.width = textarea.clientWidth + "px";  // inside the borders, scrollbar excluded
      var lines = textarea.value.split("\n");
      mirror.textContent = "";
      lines.forEach(function (line) {
        var row = document.createElement("div");
        row.textContent = line || "\u200b";
        mirror.appendChild(row);
      });
      numbers.textContent = "";
      numbers.style.paddingTop = style.paddingTop;
      numbers.style.paddingBottom = style.paddingBottom;
      Array.prototype.forEach.call(mirror.children, function (row, index) {
        var number = document.createElement("span");
        number.textContent = String(index + 1);
        number.style.height = row.getBoundingClientRect().height + "px";
        numbers.appendChild(number);
      });
      gutter.style.height = textarea.offsetHeight + "px";
      scroll();
    }
    function scroll() { numbers.style.top = -textarea.scrollTop + "px"; }

    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; render(); });
    }
    textarea.addEventListener("input", schedule);
    textarea.addEventListener("scroll", scroll);
    if (window.ResizeObserver) new ResizeObserver(schedule).observe(textarea);
    window.addEventListener("resize", schedule);
    render();
  }

  function init() {
    document.querySelectorAll("textarea.briefs-markup").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
