// Dealsite annotation cards.
//
// Progressive enhancement for the highlights in a brief's body (`a.anno`): hovering, focusing
// or tapping one shows a card built from markup already in the page — the matching entry in the
// brief's end matter (parties, sources, quotes, notes), found by its `data-card` reference. No
// requests, no inline script, no style attributes (CSP-friendly: positions are set through the
// CSSOM). Without this file the highlights are ordinary links to the party page or the entry.
//
// Keyboard and screen readers: each highlight is described by its entry (aria-describedby), so
// its content is announced on focus; the card is a non-modal dialog inserted right after the
// highlight, so Tab moves into its links and on through the text; Escape closes it and returns
// focus to the highlight. Touch: the first tap opens the card, a second tap follows the link.
(function () {
  "use strict";

  var body = document.querySelector(".brief-body");
  if (!body || !("closest" in Element.prototype)) return;

  var entries = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-card]"), function (el) {
    entries[el.getAttribute("data-card")] = el;
  });

  var SHOW_DELAY = 120;
  var HIDE_DELAY = 220;
  var GAP = 6;
  var MARGIN = 8;

  var card = document.createElement("div");
  card.className = "anno-card";
  card.id = "anno-card";
  card.hidden = true;
  card.setAttribute("role", "dialog");
  card.setAttribute("aria-modal", "false");
  card.setAttribute("aria-labelledby", "anno-card-label");

  var label = document.createElement("span");
  label.className = "anno-card-label";
  label.id = "anno-card-label";

  var content = document.createElement("div");
  content.className = "anno-card-content";

  var more = document.createElement("a");
  more.className = "anno-card-more";

  var closeButton = document.createElement("button");
  closeButton.type = "button";
  closeButton.className = "anno-card-close";
  closeButton.setAttribute("aria-label", "Close");
  closeButton.textContent = "×";

  card.appendChild(label);
  card.appendChild(content);
  card.appendChild(more);
  card.appendChild(closeButton);

  var current = null;       // the highlight whose card is open
  var showTimer = null;
  var hideTimer = null;
  var pointerType = "mouse";
  var openAtPointerDown = false;
  var returningFocus = false;  // focus sent back to a highlight must not reopen its card

  function annoFrom(node) {
    var el = node && node.nodeType === 1 ? node : node && node.parentElement;
    var anno = el && el.closest("a.anno");
    return anno && body.contains(anno) ? anno : null;
  }

  function entryFor(anno) {
    return entries[anno.getAttribute("data-ref")] || null;
  }

  function kindOf(anno) {
    return (anno.getAttribute("data-ref") || "").split(":")[0];
  }

  function moreLink(anno, entry) {
    var kind = kindOf(anno);
    if (kind === "party") return { href: anno.getAttribute("href"), text: "Party profile →" };
    if (kind === "source") return { href: "#" + entry.id, text: "Go to footnote →" };
    if (kind === "quote") return { href: "#" + entry.id, text: "Go to quote →" };
    if (kind === "note") return { href: "#" + entry.id, text: "Go to note →" };
    if (kind === "correction") return { href: "#" + entry.id, text: "Go to the correction →" };
    return null;
  }

  function fill(anno, entry) {
    var clone = entry.cloneNode(true);
    clone.removeAttribute("id");
    Array.prototype.forEach.call(clone.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    var nodes = Array.prototype.slice.call(clone.childNodes);
    while (content.firstChild) content.removeChild(content.firstChild);
    nodes.forEach(function (node) { content.appendChild(node); });
    label.textContent = entry.getAttribute("data-card-label") || "";
    card.className = "anno-card kind-" + kindOf(anno);
    var link = moreLink(anno, entry);
    if (link) {
      more.hidden = false;
      more.setAttribute("href", link.href);
      more.textContent = link.text;
    } else {
      more.hidden = true;
    }
  }

  function position(anno) {
    var rects = anno.getClientRects();
    if (!rects.length) return;
    var first = rects[0];
    var last = rects[rects.length - 1];
    var box = body.getBoundingClientRect();
    card.style.left = "0px";
    card.style.top = "0px";
    var width = card.offsetWidth;
    var height = card.offsetHeight;
    var viewportWidth = document.documentElement.clientWidth;
    // Never over the text that follows (the next highlight): beside the text column when the
    // window has room for it, else above the highlight, and below it only when nothing else fits.
    var left, top;
    if (box.right + GAP + width <= viewportWidth - MARGIN) {
      left = box.right + GAP;
      top = Math.max(MARGIN, Math.min(first.top, window.innerHeight - height - MARGIN));
    } else {
      left = Math.max(MARGIN, Math.min(first.left, viewportWidth - width - MARGIN));
      top = first.top - GAP - height > MARGIN ? first.top - GAP - height : last.bottom + GAP;
    }
    card.style.left = Math.round(left - box.left) + "px";
    card.style.top = Math.round(top - box.top) + "px";
  }

  function open(anno) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (current === anno && !card.hidden) return;
    var entry = entryFor(anno);
    if (!entry) return;
    if (current) deactivate(current);
    current = anno;
    fill(anno, entry);
    anno.insertAdjacentElement("afterend", card);
    card.hidden = false;
    anno.classList.add("is-active");
    anno.setAttribute("aria-expanded", "true");
    position(anno);
  }

  function deactivate(anno) {
    anno.classList.remove("is-active");
    anno.setAttribute("aria-expanded", "false");
  }

  function close(returnFocus) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!current) return;
    var anno = current;
    var focusWasInside = card.contains(document.activeElement);
    card.hidden = true;
    deactivate(anno);
    current = null;
    if (returnFocus || focusWasInside) {
      returningFocus = true;
      anno.focus();
      returningFocus = false;
    }
  }

  function scheduleOpen(anno) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { open(anno); }, SHOW_DELAY);
  }

  function scheduleClose() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      var active = document.activeElement;
      if (current && (active === current || card.contains(active))) return;
      close(false);
    }, HIDE_DELAY);
  }

  // Wire every highlight to its entry for assistive technology.
  Array.prototype.forEach.call(body.querySelectorAll("a.anno"), function (anno) {
    var entry = entryFor(anno);
    if (!entry) return;
    if (entry.id) anno.setAttribute("aria-describedby", entry.id);
    anno.setAttribute("aria-controls", "anno-card");
    anno.setAttribute("aria-expanded", "false");
  });

  body.addEventListener("mouseover", function (event) {
    if (pointerType !== "mouse") return;
    var anno = annoFrom(event.target);
    if (anno) scheduleOpen(anno);
    else if (card.contains(event.target)) clearTimeout(hideTimer);
  });

  body.addEventListener("mouseout", function (event) {
    if (pointerType !== "mouse") return;
    var from = annoFrom(event.target) || (card.contains(event.target) ? card : null);
    if (!from) return;
    var to = event.relatedTarget;
    if (to && (from.contains(to) || card.contains(to) || (current && current.contains(to)))) return;
    scheduleClose();
  });

  document.addEventListener("pointerdown", function (event) {
    pointerType = event.pointerType || "mouse";
    var anno = annoFrom(event.target);
    openAtPointerDown = !!(anno && anno === current && !card.hidden);
    if (!anno && current && !card.contains(event.target)) close(false);
  });

  body.addEventListener("click", function (event) {
    var anno = annoFrom(event.target);
    if (!anno || pointerType === "mouse") return;
    // Touch or pen: the first tap shows the card, a second tap on the same highlight follows it.
    if (!openAtPointerDown) {
      event.preventDefault();
      open(anno);
    }
  });

  body.addEventListener("focusin", function (event) {
    var anno = annoFrom(event.target);
    if (anno && !returningFocus) open(anno);
    else if (card.contains(event.target)) clearTimeout(hideTimer);
  });

  body.addEventListener("focusout", function (event) {
    if (!current) return;
    var to = event.relatedTarget;
    if (to && (to === current || card.contains(to))) return;
    if (pointerType === "mouse" && (current.matches(":hover") || card.matches(":hover"))) return;
    scheduleClose();
  });

  closeButton.addEventListener("click", function () { close(true); });

  more.addEventListener("click", function () { close(false); });

  document.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && current) {
      var focusInCard = card.contains(document.activeElement) || document.activeElement === current;
      close(focusInCard);
      if (focusInCard) event.preventDefault();
    }
  });

  window.addEventListener("resize", function () {
    if (current) position(current);
  });
})();
