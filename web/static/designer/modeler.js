/* The web modeler: bpmn-js with the properties panel and Camunda moddle for .bpmn files,
   dmn-js for .dmn files; save as draft, validate (problems on their elements), deploy. */
(async function () {
  'use strict';
  var cfg = FW.readJSON('fw-config'), T = cfg.texts;
  var files = Object.assign({}, cfg.files), baseline = {}, problems = [], current = null;
  var names = Object.keys(files).sort(function (a, b) {
    return (b === cfg.main_file) - (a === cfg.main_file) || a.endsWith('.dmn') - b.endsWith('.dmn') ||
      a.localeCompare(b);
  });
  var bpmnBox = document.getElementById('fw-bpmn'), dmnBox = document.getElementById('fw-dmn');
  var props = document.getElementById('fw-properties'), status = document.getElementById('fw-status');
  var camunda = await (await fetch(cfg.camunda_moddle_url)).json();
  var panel = window.BpmnJSPropertiesPanel, engine = window.FWEnginePanel;
  // Chinese pages get the Chinese dictionary; English pages keep bpmn-js's own texts.
  var language = cfg.lang === 'zh' ? [engine.translateModule(window.FW_ZH)] : [];
  var modeler = new window.BpmnJS({
    container: bpmnBox, propertiesPanel: {parent: props},
    additionalModules: [panel.BpmnPropertiesPanelModule, panel.BpmnPropertiesProviderModule,
                        panel.CamundaPlatformPropertiesProviderModule, engine.engineModule]
      .concat(language),
    moddleExtensions: {camunda: camunda}
  });
  // dmn-js takes additional modules per view (its `common` option drops them).
  var dmnModeler = new window.DmnJS({container: dmnBox, drd: {additionalModules: language},
    decisionTable: {additionalModules: language}, literalExpression: {additionalModules: language},
    boxedExpression: {additionalModules: language}});
  window.fwModeler = modeler;

  function say(text, kind) {
    status.textContent = text;
    status.className = 'fw-status ' + (kind || '');
  }

  function editorOf(name) { return name.endsWith('.dmn') ? dmnModeler : modeler; }

  /* Keep the open file's edits; an untouched file keeps its exact text (and checksum). */
  async function keep() {
    if (!current) { return; }
    var xml = (await editorOf(current).saveXML({format: true})).xml;
    if (xml !== baseline[current]) { files[current] = xml; }
  }

  async function open(name) {
    await keep();
    current = name;
    var dmn = name.endsWith('.dmn');
    bpmnBox.hidden = dmn; props.hidden = dmn; dmnBox.hidden = !dmn;
    await editorOf(name).importXML(files[name]);
    if (dmn) { await FW.openTable(dmnModeler); }
    baseline[name] = (await editorOf(name).saveXML({format: true})).xml;
    if (!dmn) { fitReadably(); }
    document.querySelectorAll('.fw-tab').forEach(function (b) {
      b.classList.toggle('active', b.dataset.file === name);
    });
    showProblems();
  }

  /* Fit the diagram beside the palette, but never smaller than MIN_ZOOM (a wide diagram at
     fit-viewport is unreadable): then show it from its start event. */
  var MIN_ZOOM = 0.75;
  function fitReadably() {
    var canvas = modeler.get('canvas'), box = canvas.viewbox(), inner = box.inner;
    var palette = bpmnBox.querySelector('.djs-palette');
    var left = (palette ? palette.getBoundingClientRect().right -
                bpmnBox.getBoundingClientRect().left : 0) + 24, top = 24;
    var zoom = Math.min((box.outer.width - left - 24) / inner.width,
                        (box.outer.height - 2 * top) / inner.height, 1);
    zoom = Math.max(zoom, MIN_ZOOM);
    var width = box.outer.width / zoom, height = box.outer.height / zoom;
    var y = inner.y - top / zoom;
    if (inner.height * zoom > box.outer.height - 2 * top) {
      var start = modeler.get('elementRegistry').filter(function (e) {
        return e.type === 'bpmn:StartEvent' && e.parent && e.parent.type !== 'bpmn:SubProcess';
      })[0];
      // From the top when the start event shows there, else centred on the start event.
      if (start && start.y + start.height > y + height - top / zoom) {
        y = start.y + start.height / 2 - height / 2;
      }
    }
    canvas.viewbox({x: inner.x - left / zoom, y: y, width: width, height: height});
  }

  function showProblems() {
    var list = document.getElementById('fw-problems');
    list.textContent = '';
    problems.forEach(function (p) {
      var item = FW.el('li', {'class': 'fw-problem-item', 'data-file': p.file,
                              'data-element': p.element || ''},
                       p.file + (p.element ? ' [' + p.element + ']' : '') + ': ' + p.reason);
      item.addEventListener('click', function () { focus(p); });
      list.appendChild(item);
    });
    document.querySelectorAll('.fw-tab').forEach(function (b) {
      b.classList.toggle('has-problem', problems.some(function (p) { return p.file === b.dataset.file; }));
    });
    if (!current || current.endsWith('.dmn')) { return; }
    var overlays = modeler.get('overlays'), canvas = modeler.get('canvas');
    var registry = modeler.get('elementRegistry');
    overlays.remove({type: 'fw-problem'});
    registry.forEach(function (e) { canvas.removeMarker(e, 'fw-problem'); });
    problems.forEach(function (p) {
      var element = p.file === current && p.element && registry.get(p.element);
      if (!element || !element.parent) { return; }  // the root has no shape to mark
      canvas.addMarker(element, 'fw-problem');
      overlays.add(element, 'fw-problem', {
        position: {top: -10, right: 10},
        html: '<div class="fw-problem-badge" title="' + p.reason.replace(/"/g, '&quot;') + '">!</div>'
      });
    });
  }

  async function focus(problem) {
    if (problem.file !== current) { await open(problem.file); }
    var element = problem.element && modeler.get('elementRegistry').get(problem.element);
    if (element && element.parent) {
      var canvas = modeler.get('canvas');
      modeler.get('selection').select(element);
      canvas.zoom(1);
      var box = canvas.viewbox();  // centre the element at 100 %
      canvas.viewbox({x: element.x + element.width / 2 - box.width / 2,
                      y: element.y + element.height / 2 - box.height / 2,
                      width: box.width, height: box.height});
    }
  }

  async function run(button, action) {
    button.disabled = true;
    say(T.busy);
    try {
      await keep();
      await action();
    } catch (err) {
      say(T.failed + ' ' + err.message, 'error');
    } finally {
      button.disabled = false;
    }
  }

  function setProblems(found) {
    problems = found || [];
    showProblems();
    say(problems.length ? FW.format(T.problems, {n: problems.length}) : T.valid,
        problems.length ? 'error' : 'ok');
  }

  document.getElementById('fw-validate').addEventListener('click', function (e) {
    run(e.currentTarget, async function () {
      var r = await FW.postJSON(cfg.urls.validate, {files: files});
      if (!r.ok) { throw new Error(r.data.message || r.status); }
      setProblems(r.data.problems);
    });
  });

  document.getElementById('fw-save').addEventListener('click', function (e) {
    run(e.currentTarget, async function () {
      var r = await FW.postJSON(cfg.urls.save_draft, {key: cfg.key, files: files,
        base_version_id: cfg.base_version_id, draft_id: cfg.draft_id});
      if (!r.ok) { throw new Error(r.data.message || r.status); }
      cfg.draft_id = r.data.id;
      window.history.replaceState(null, '', r.data.url);
      say(T.saved, 'ok');
    });
  });

  /* The confirmation: what each process changes against its running version. */
  var dialog = document.getElementById('fw-confirm');
  function describe(process) {
    var item = FW.el('li', {'class': 'fw-preview', 'data-key': process.key});
    var head = process.key + ' — ' + (process.status === 'first' ? T.first :
      process.status === 'unchanged' ? FW.format(T.unchanged_v, {n: process.running}) :
      FW.format(T.changed_v, {n: process.running}));
    item.appendChild(FW.el('strong', {}, head));
    var list = FW.el('ul');
    process.diff.forEach(function (d) {
      [['added', T.added], ['removed', T.removed], ['changed', T.changed]].forEach(function (k) {
        d[k[0]].forEach(function (e) {
          var what = k[1] + ' ' + (e.name || e.kind) + ' (' + e.id + ')' +
            (e.changes.length ? ': ' + e.changes.join(', ') : '');
          list.appendChild(FW.el('li', {'class': 'fw-diff-' + k[0], 'data-element': e.id}, what));
        });
      });
    });
    if (process.status === 'changed' && !list.children.length) {
      list.appendChild(FW.el('li', {}, T.layout_only));
    }
    item.appendChild(list);
    return item;
  }

  function markPreview(processes) {
    var registry = modeler.get('elementRegistry'), canvas = modeler.get('canvas');
    processes.forEach(function (p) {
      p.diff.forEach(function (d) {
        ['added', 'changed'].forEach(function (k) {
          d[k].forEach(function (e) {
            if (registry.get(e.id)) { canvas.addMarker(e.id, 'fw-' + k); }
          });
        });
      });
    });
  }

  function unmarkPreview() {
    var canvas = modeler.get('canvas');
    modeler.get('elementRegistry').forEach(function (e) {
      canvas.removeMarker(e, 'fw-added'); canvas.removeMarker(e, 'fw-changed');
    });
  }

  function confirmDeploy(processes) {
    var list = document.getElementById('fw-confirm-list');
    list.textContent = '';
    processes.forEach(function (p) { list.appendChild(describe(p)); });
    if (current && !current.endsWith('.dmn')) { markPreview(processes); }
    return new Promise(function (resolve) {
      dialog.addEventListener('close', function () {
        unmarkPreview();
        resolve(dialog.returnValue === 'deploy');
      }, {once: true});
      dialog.showModal();
    });
  }

  document.getElementById('fw-deploy').addEventListener('click', function (e) {
    var reason = document.getElementById('fw-reason');
    if (!reason.value.trim()) { say(T.reason_required, 'error'); reason.focus(); return; }
    run(e.currentTarget, async function () {
      var preview = await FW.postJSON(cfg.urls.preview, {files: files});
      if (preview.data.problems) { setProblems(preview.data.problems); return; }
      if (!preview.ok) { throw new Error(preview.data.message || preview.status); }
      if (!(await confirmDeploy(preview.data.processes))) { say(T.cancelled); return; }
      var r = await FW.postJSON(cfg.urls.deploy, {files: files, reason: reason.value});
      if (r.data.problems) { setProblems(r.data.problems); return; }
      if (!r.ok) { throw new Error(r.data.message || r.status); }
      problems = [];
      showProblems();
      say(T.deployed, 'ok');
      r.data.versions.forEach(function (v) {
        var link = FW.el('a', {href: v.url, 'class': 'fw-deployed'},
                         v.key + ' v' + v.number + ' (' + (v.created ? T.new : T.unchanged) + ')');
        status.appendChild(document.createTextNode(' '));
        status.appendChild(link);
      });
    });
  });

  var tabs = document.querySelector('.fw-tabs');
  names.forEach(function (name) {
    var b = FW.el('button', {type: 'button', 'class': 'fw-tab', 'data-file': name}, name);
    b.addEventListener('click', function () { open(name); });
    tabs.appendChild(b);
  });
  await open(names[0]);
  document.body.dataset.modelerReady = 'true';
})();
