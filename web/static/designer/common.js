/* Shared helpers of the designer and admin pages: JSON posts with the CSRF token, diagram
   viewers, markers and file tabs. Served from /static; no network access beyond this app. */
window.FW = (function () {
  'use strict';

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function csrfToken() {
    var holder = document.querySelector('[data-csrf]');
    return holder ? holder.dataset.csrf : '';
  }

  async function postJSON(url, body) {
    var response = await fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json',
                'X-CSRFToken': csrfToken()},
      body: JSON.stringify(body)
    });
    var data = {};
    try { data = await response.json(); } catch (e) { data = {message: response.statusText}; }
    return {ok: response.ok, status: response.status, data: data};
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Put a CSS class on every element (or connection) of the diagram with one of these ids. */
  function mark(viewer, ids, cls) {
    var registry = viewer.get('elementRegistry'), canvas = viewer.get('canvas');
    (ids || []).forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, cls); }
    });
  }

  /* Mark the sequence flows that go from pair[0] to pair[1]. */
  function markFlows(viewer, pairs, cls) {
    var wanted = {};
    (pairs || []).forEach(function (p) { wanted[p[0] + '>' + p[1]] = true; });
    var canvas = viewer.get('canvas');
    viewer.get('elementRegistry').filter(function (e) {
      var bo = e.businessObject;
      return e.waypoints && bo && bo.sourceRef && bo.targetRef &&
        wanted[bo.sourceRef.id + '>' + bo.targetRef.id];
    }).forEach(function (e) { canvas.addMarker(e.id, cls); });
  }

  /* A read-only viewer for one BPMN or DMN file in `container`. */
  async function view(container, name, xml) {
    var viewer = name.endsWith('.dmn') ? new window.DmnJS({container: container})
                                       : new window.BpmnJS({container: container});
    await viewer.importXML(xml);
    if (!name.endsWith('.dmn')) { viewer.get('canvas').zoom('fit-viewport'); }
    return viewer;
  }

  /* Tabs (buttons with data-file) that show one pane at a time; panes are built on first
     show by `build(name, container)`, which may return a promise. */
  function tabs(buttons, panesRoot, build) {
    var panes = {};
    async function show(name) {
      buttons.forEach(function (b) {
        b.classList.toggle('active', b.dataset.file === name);
        b.setAttribute('aria-selected', b.dataset.file === name ? 'true' : 'false');
      });
      Object.keys(panes).forEach(function (n) { panes[n].hidden = n !== name; });
      document.querySelectorAll('.fw-ids').forEach(function (p) {
        p.hidden = p.dataset.file !== name;
      });
      if (!panes[name]) {
        panes[name] = el('div', {'class': 'fw-canvas', 'data-file': name});
        panesRoot.appendChild(panes[name]);
        await build(name, panes[name]);
      }
    }
    buttons.forEach(function (b) {
      b.addEventListener('click', function () { show(b.dataset.file); });
    });
    return show;
  }

  return {readJSON: readJSON, postJSON: postJSON, format: format, el: el, mark: mark,
          markFlows: markFlows, view: view, tabs: tabs};
})();
