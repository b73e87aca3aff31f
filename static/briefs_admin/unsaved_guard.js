// Leaving the brief form with unsaved changes asks first (the browser's own "Leave site?" dialog).
// Changes are what differs from the form as it was loaded, and everything in a form shown again
// because it could not be saved; the form's own submits (Save, the Workflow buttons, which submit
// it too) never ask. External file: runs under the site's CSP.
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("brief_form");
    if (!form || !window.FormData) return;
    function snapshot() {
      var entries = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") entries.push(name + "=" + value);
      });
      return entries.join("\u0000");
    }
    var refused = form.querySelector(".errornote") !== null;  // what it holds was not saved
    var loaded = refused ? null : snapshot();
    var edited = refused;
    var submitting = false;
    form.addEventListener("input", function () { edited = true; });
    form.addEventListener("change", function () { edited = true; });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("pageshow", function (event) { if (event.persisted) submitting = false; });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || !edited || snapshot() === loaded) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
