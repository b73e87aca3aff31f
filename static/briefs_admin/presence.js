/* Who else has this brief open: a heartbeat to the server every data-interval seconds, and a goodbye
   beacon when the tab goes away (no inline script: CSP-ready). */
(function () {
  "use strict";
  var box = document.getElementById("briefs-presence");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  var interval = Math.max(1, parseInt(box.getAttribute("data-interval"), 10) || 7) * 1000;
  function show(others) {
    box.textContent = "";
    box.hidden = !others.length;
    if (!others.length) { return; }
    box.appendChild(document.createTextNode("Also open by: "));
    others.forEach(function (other, index) {
      var name = document.createElement("strong");
      name.textContent = other.name;
      box.appendChild(name);
      if (index < others.length - 1) { box.appendChild(document.createTextNode(", ")); }
    });
    box.appendChild(document.createTextNode(" — save often; a save based on an older version is refused."));
  }
  function beat() {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRFToken": token() } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data.others); } })
      .catch(function () { /* offline for a moment: try again at the next beat */ });
  }
  setInterval(beat, interval);
  window.addEventListener("pagehide", function () {
    if (!navigator.sendBeacon) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token());
    body.append("leave", "1");
    navigator.sendBeacon(url, body);
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) { beat(); } });
}());
