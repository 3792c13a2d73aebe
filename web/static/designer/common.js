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

  /* A DMN editor or viewer shows the decision table itself when the file has one. */
  function openTable(dmn) {
    var table = dmn.getViews().find(function (v) { return v.type === 'decisionTable'; });
    return table ? dmn.open(table) : Promise.resolve();
  }

  /* Give a BPMN canvas the diagram's proportions (within limits), then fit the diagram. */
  function fitHeight(viewer, container) {
    var canvas = viewer.get('canvas'), box = canvas.getRootElement() && canvas.viewbox().inner;
    if (box && box.width > 0) {
      var wanted = container.clientWidth * box.height / box.width + 40;
      var most = window.innerHeight * 0.7;
      container.style.height = Math.max(260, Math.min(wanted, most)) + 'px';
      canvas.resized();
    }
    canvas.zoom('fit-viewport');
  }

  /* A read-only viewer for one BPMN or DMN file in `container`. */
  async function view(container, name, xml) {
    if (name.endsWith('.dmn')) {
      var dmn = new window.DmnJS({container: container});
      await dmn.importXML(xml);
      await openTable(dmn);
      return dmn;
    }
    var viewer = new window.BpmnJS({container: container});
    await viewer.importXML(xml);
    fitHeight(viewer, container);
    return viewer;
  }

  /* Zoom to the elements with these ids (with some margin); false when none is drawn. */
  function focusOn(viewer, ids) {
    var registry = viewer.get('elementRegistry'), box = null;
    ids.forEach(function (id) {
      var e = registry.get(id);
      if (!e || e.x === undefined || !e.parent || !e.parent.parent) { return; }
      box = box || {x1: e.x, y1: e.y, x2: e.x + e.width, y2: e.y + e.height};
      box.x1 = Math.min(box.x1, e.x); box.y1 = Math.min(box.y1, e.y);
      box.x2 = Math.max(box.x2, e.x + e.width); box.y2 = Math.max(box.y2, e.y + e.height);
    });
    if (!box) { return false; }
    var pad = 120;
    viewer.get('canvas').viewbox({x: box.x1 - pad, y: box.y1 - pad,
                                  width: box.x2 - box.x1 + 2 * pad,
                                  height: box.y2 - box.y1 + 2 * pad});
    return true;
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
          markFlows: markFlows, view: view, tabs: tabs, focusOn: focusOn,
          openTable: openTable};
})();
