/* One instance on its diagrams: active elements, completed ones and the flows taken. */
(function () {
  'use strict';
  var trace = FW.readJSON('fw-trace');
  var byFile = {};
  trace.diagrams.forEach(function (d) { byFile[d.file] = d; });
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.fw-tab'));
  var show = FW.tabs(buttons, document.getElementById('fw-panes'), async function (name, pane) {
    var viewer = await FW.view(pane, name, trace.files[name]);
    var d = byFile[name];
    FW.markFlows(viewer, d.flows, 'fw-flow');
    FW.mark(viewer, d.completed, 'fw-done');
    var registry = viewer.get('elementRegistry');
    var containers = d.active.filter(function (id) {  // subprocesses and call activities
      var e = registry.get(id);
      return e && /SubProcess|CallActivity/.test(e.type) && !e.collapsed && e.width > 200;
    });
    FW.mark(viewer, d.active.filter(function (id) { return containers.indexOf(id) < 0; }),
            'fw-active');
    FW.mark(viewer, containers, 'fw-active-container');
    pane.dataset.ready = 'true';
  });
  if (buttons.length) { show(buttons[0].dataset.file); }
})();
