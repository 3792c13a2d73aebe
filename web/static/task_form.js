/* The task form on a phone: only the fields the chosen decision needs, and autosave.
 *
 * Progressive enhancement: without this script every field is shown and nothing is saved
 * until submitted. A field with data-shown-when="decision" data-shown-values="answer refuse"
 * (from the diagram's shown_when property) is shown only for those choices; hidden fields
 * are disabled so that what is sent is what the person sees. What is typed is saved on the
 * server every few seconds while typing, on leaving a field and before submitting.
 */
(function () {
  "use strict";
  var SAVE_AFTER_MS = 3000;

  function choiceOf(form, name) {
    var els = form.elements[name];
    if (!els) return "";
    if (els.tagName === "SELECT" || els.tagName === "INPUT") return els.value;
    for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
    return "";
  }

  function applyRules(form) {
    form.querySelectorAll("[data-shown-when]").forEach(function (box) {
      var wanted = box.getAttribute("data-shown-values").split(" ");
      var show = wanted.indexOf(choiceOf(form, box.getAttribute("data-shown-when"))) >= 0;
      box.hidden = !show;
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "revision" || el.type === "submit") return;
      if (el.type === "checkbox") data[el.name] = el.checked;
      else if (el.type === "radio") { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    });
    return data;
  }

  // The time as the server shows times (the service's time zone), whatever the phone's is.
  function hhmm(iso, zone) {
    var options = {hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
    if (zone) options.timeZone = zone;
    try { return new Intl.DateTimeFormat("en-GB", options).format(new Date(iso)); }
    catch (e) { delete options.timeZone; return new Intl.DateTimeFormat("en-GB", options).format(new Date(iso)); }
  }

  function autosave(form) {
    var url = form.getAttribute("data-draft-url");
    var status = form.querySelector(".autosave");
    if (!url || !status) return;
    var zone = form.getAttribute("data-timezone");
    var token = form.elements.csrf_token ? form.elements.csrf_token.value : "";
    var last = JSON.stringify(collect(form)), timer = null, stopped = false;
    var shown = status.getAttribute("data-saved-at");
    if (shown) status.textContent = form.getAttribute("data-saved-label") + " " + hhmm(shown, zone);

    function save(keepalive) {
      clearTimeout(timer);
      var body = JSON.stringify(collect(form));
      if (stopped || body === last) return;
      last = body;
      fetch(url, {method: "PUT", credentials: "same-origin", keepalive: !!keepalive,
                  headers: {"Content-Type": "application/json", "Accept": "application/json",
                            "X-CSRFToken": token},
                  body: JSON.stringify({data: JSON.parse(body)})})
        .then(function (r) {
          if (r.status === 403 || r.status === 404 || r.status === 409) { stopped = true; }
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
        .then(function (saved) {
          status.classList.remove("failed");
          status.textContent = form.getAttribute("data-saved-label") + " " + hhmm(saved.saved_at, zone);
        })
        .catch(function () {
          if (keepalive) return;
          last = null;  // try again on the next change
          status.classList.add("failed");
          status.textContent = form.getAttribute("data-failed-label");
        });
    }

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_AFTER_MS);
    });
    form.addEventListener("change", function () { save(); });
    form.addEventListener("focusout", function () { save(); });
    form.addEventListener("submit", function () { save(true); stopped = true; });
    // A phone switches apps without warning: save when the page goes out of sight.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.task-form").forEach(function (form) {
      if (form.querySelector("[data-shown-when]")) {
        applyRules(form);
        form.addEventListener("change", function () { applyRules(form); });
      }
      autosave(form);
    });
  });
})();
