// A source's key fills itself with the short key publisher-yyyy-mm-dd (or, without a date, the
// publisher and the title's first words: the rule of briefs/services/source_keys.py) while the
// editor types the title, publisher and date; once the editor types into the key it is theirs and is
// never rewritten; the suggestion is then offered next to it. External file: runs under the CSP.
(function () {
  "use strict";

  function slugify(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "").trim().replace(/[\s-]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function isoDate(value) {
    var text = (value || "").trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
    var dmy = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);  // the admin's other input formats
    return dmy ? dmy[3] + "-" + ("0" + dmy[2]).slice(-2) + "-" + ("0" + dmy[1]).slice(-2) : "";
  }

  function suggest(publisher, date, title) {
    var pub = slugify(publisher).slice(0, 40).replace(/-+$/, "");
    var words = slugify(title).split("-").slice(0, 4).join("-");
    if (date) return (pub || words) ? (pub || words) + "-" + date : date;
    return [pub, words].filter(Boolean).join("-");
  }

  function init() {
    var key = document.querySelector("input[data-source-key]");
    if (!key) return;
    var form = key.form;
    var fields = ["title", "publisher", "published_on"].map(function (name) { return form.elements[name]; });
    var touched = key.value !== "";  // a saved key, or one the form came back with, is the editor's
    var offer = document.createElement("button");
    offer.type = "button";
    offer.className = "button briefs-key-suggestion";
    offer.hidden = true;
    key.insertAdjacentElement("afterend", offer);

    function suggestion() {
      return suggest(fields[1] && fields[1].value, fields[2] && isoDate(fields[2].value), fields[0] && fields[0].value);
    }
    function update() {
      var wanted = suggestion();
      if (!touched) {
        key.value = wanted;
        offer.hidden = true;
        return;
      }
      offer.hidden = !wanted || wanted === key.value;
      offer.textContent = "Use the short key " + wanted;
      offer.setAttribute("data-key", wanted);
    }
    key.addEventListener("input", function () { touched = key.value !== ""; update(); });
    offer.addEventListener("click", function () {
      key.value = offer.getAttribute("data-key");
      touched = true;
      update();
      key.focus();
    });
    fields.forEach(function (field) {
      if (!field) return;
      field.addEventListener("input", update);
      field.addEventListener("change", update);  // the calendar widget sets the date without typing
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
