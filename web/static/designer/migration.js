/* The migration page: the diff on both diagrams, dry runs and migrations in small batches
   with a progress bar, and rollback of a migrated instance. */
(function () {
  'use strict';
  var cfg = FW.readJSON('fw-config'), T = cfg.texts, BATCH = 10;
  var progress = document.getElementById('fw-progress');
  var status = document.getElementById('fw-status');
  var results = document.getElementById('fw-results');

  /* The old and new diagram of one file, changes marked, zoomed to them, panning together. */
  async function sideBySide(d) {
    var box = FW.el('div', {'class': 'fw-side', 'data-file': d.new_file || d.old_file});
    document.getElementById('fw-diagrams').appendChild(box);
    var sides = [[d.old_file, cfg.old_files, 'old', d.removed, 'fw-removed'],
                 [d.new_file, cfg.new_files, 'new', d.added, 'fw-added']];
    var viewers = [];
    for (var i = 0; i < sides.length; i++) {
      var file = sides[i][0];
      var column = FW.el('div', {'class': 'fw-side-' + sides[i][2]});
      column.appendChild(FW.el('h3', {}, (sides[i][2] === 'old' ? '← ' : '→ ') + (file || '—')));
      box.appendChild(column);
      if (!file) { continue; }
      var pane = FW.el('div', {'class': 'fw-canvas'});
      column.appendChild(pane);
      var viewer = await FW.view(pane, file, sides[i][1][file]);
      FW.mark(viewer, sides[i][3], sides[i][4]);
      FW.mark(viewer, d.changed, 'fw-changed');
      FW.focusOn(viewer, sides[i][3].concat(d.changed));
      viewers.push(viewer);
      pane.dataset.ready = 'true';
    }
    if (viewers.length === 2) { follow(viewers[0], viewers[1]); }
  }

  /* Panning or zooming one side moves the other the same way. */
  function follow(a, b) {
    var busy = false;
    [[a, b], [b, a]].forEach(function (pair) {
      pair[0].on('canvas.viewbox.changed', function (event) {
        if (busy) { return; }
        busy = true;
        var v = event.viewbox;
        pair[1].get('canvas').viewbox({x: v.x, y: v.y, width: v.width, height: v.height});
        busy = false;
      });
    });
    b.get('canvas').viewbox(a.get('canvas').viewbox());
  }

  function boxes() { return Array.prototype.slice.call(document.querySelectorAll('input[name=instance]')); }
  function chosen(all) {
    var seen = {};
    return boxes().filter(function (b) { return all || b.checked; })
      .map(function (b) { return parseInt(b.value, 10); })
      .filter(function (i) { return seen[i] ? false : (seen[i] = true); });
  }

  function row(r, dry) {
    var tr = FW.el('tr', {'data-instance': r.instance_id});
    var link = FW.el('a', {href: cfg.urls.instance.replace(/\/0$/, '/' + r.instance_id)}, '#' + r.instance_id);
    var first = FW.el('td'); first.appendChild(link); tr.appendChild(first);
    tr.appendChild(FW.el('td', {}, r.business_key || '—'));
    var good = dry ? r.can_migrate : r.migrated;
    tr.appendChild(FW.el('td', {'class': good ? 'ok' : 'bad'},
      good ? (dry ? T.can_migrate : T.migrated) : T.refused));
    var notes = [];
    if (r.reset_tasks.length) { notes.push(T.reset + r.reset_tasks.map(function (t) { return t.bpmn_id; }).join(', ')); }
    if (r.removed_tasks.length) { notes.push(T.removed + r.removed_tasks.map(function (t) { return t.bpmn_id; }).join(', ')); }
    tr.appendChild(FW.el('td', {}, notes.join('; ')));
    tr.appendChild(FW.el('td', {}, r.reason || ''));
    var last = FW.el('td');
    if (!dry && r.migrated) {
      var button = FW.el('button', {type: 'button', 'class': 'secondary fw-rollback'}, T.rollback);
      button.addEventListener('click', function () { rollback(r.instance_id, button); });
      last.appendChild(button);
    }
    tr.appendChild(last);
    return tr;
  }

  async function rollback(instanceId, button) {
    var reason = window.prompt(T.rollback_reason);
    if (!reason || !reason.trim()) { return; }
    var r = await FW.postJSON(cfg.urls.rollback.replace('/0/', '/' + instanceId + '/'), {reason: reason});
    if (r.ok) { button.replaceWith(document.createTextNode(T.rolled_back)); }
    else { status.textContent = T.failed + ' ' + (r.data.message || r.status); }
  }

  /* Send the ids in batches, updating the progress bar; returns every report. */
  async function inBatches(url, instanceIds, extra, dry) {
    results.textContent = '';
    results.parentNode.hidden = false;
    progress.hidden = false;
    progress.max = instanceIds.length;
    progress.value = 0;
    var all = [];
    for (var i = 0; i < instanceIds.length; i += BATCH) {
      var body = Object.assign({from_id: cfg.from_id, to_id: cfg.to_id,
                                instance_ids: instanceIds.slice(i, i + BATCH)}, extra);
      var r = await FW.postJSON(url, body);
      if (!r.ok) { status.textContent = T.failed + ' ' + (r.data.message || r.status); return all; }
      r.data.reports.forEach(function (rep) { all.push(rep); results.appendChild(row(rep, dry)); });
      progress.value = Math.min(i + BATCH, instanceIds.length);
    }
    return all;
  }

  async function dryRun(all) {
    var list = chosen(all);
    if (!list.length) { status.textContent = T.none_selected; return; }
    var reports = await inBatches(cfg.urls.dry_run, list, {}, true);
    var ok = reports.filter(function (r) { return r.can_migrate; }).length;
    status.textContent = T.can_migrate + ': ' + ok + ' / ' + reports.length;
  }

  async function migrate(all) {
    var list = chosen(all), reason = document.getElementById('fw-reason');
    if (!list.length) { status.textContent = T.none_selected; return; }
    if (!reason.value.trim()) { status.textContent = T.reason_required; reason.focus(); return; }
    if (!window.confirm(FW.format(T.confirm, {n: list.length}))) { return; }
    var reports = await inBatches(cfg.urls.migrate, list, {reason: reason.value}, false);
    var ok = reports.filter(function (r) { return r.migrated; }).length;
    status.textContent = FW.format(T.done, {ok: ok, bad: reports.length - ok});
    document.body.dataset.migrationDone = 'true';
  }

  document.querySelectorAll('.fw-select-group').forEach(function (toggle) {
    toggle.addEventListener('change', function () {
      toggle.closest('fieldset').querySelectorAll('input[name=instance]').forEach(function (b) {
        b.checked = toggle.checked;
      });
    });
  });
  var handlers = {'fw-dry-selected': function () { dryRun(false); },
                  'fw-dry-all': function () { dryRun(true); },
                  'fw-migrate-selected': function () { migrate(false); },
                  'fw-migrate-all': function () { migrate(true); }};
  Object.keys(handlers).forEach(function (id) {
    var button = document.getElementById(id);
    if (button) { button.addEventListener('click', handlers[id]); }
  });
  cfg.diagrams.reduce(function (done, d) {
    return done.then(function () { return sideBySide(d); });
  }, Promise.resolve());
})();
