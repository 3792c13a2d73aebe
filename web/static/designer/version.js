/* A deployed version's files in the BPMN and DMN viewers, one tab per file. */
(function () {
  'use strict';
  var files = FW.readJSON('fw-files');
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.fw-tab'));
  var show = FW.tabs(buttons, document.getElementById('fw-panes'), function (name, pane) {
    return FW.view(pane, name, files[name]);
  });
  var first = buttons.find(function (b) { return b.dataset.file.endsWith('.bpmn'); });
  if (first) { show(first.dataset.file); }
})();
