// The Tunnelbus page: polls data.json every 2 s and redraws the tables; a click on a session's name shows its
// details and throughput graph (session.json); Kick and the TLS module selector POST to the page.
(function () {
  'use strict';
  // origin + path: never the document URL itself, which may carry user:password@ (fetch refuses those)
  var base = window.location.origin + window.location.pathname.replace(/\/+$/, '');
  var selected = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function bytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function post(params) {
    return fetch(base, { method: 'POST', body: new URLSearchParams(params), credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (r) { document.getElementById('tb-message').textContent = r.message; refresh(); return r; });
  }

  function sessions(list) {
    var body = document.querySelector('#tb-sessions tbody');
    body.textContent = '';
    list.forEach(function (s) {
      var tr = el('tr');
      tr.dataset.id = s.id;
      tr.dataset.name = s.name;
      if (String(s.id) === String(selected)) { tr.className = 'tb-selected'; }
      var name = el('td', s.name, 'tb-name');
      name.addEventListener('click', function () { selected = s.id; detail(); });
      tr.appendChild(name);
      [s.real, s.virtual, s.cipher, s.tls].forEach(function (v) { tr.appendChild(el('td', v)); });
      [bytes(s['in']), bytes(s.out), bytes(s.rateIn) + '/s', bytes(s.rateOut) + '/s'].forEach(function (v) {
        tr.appendChild(el('td', v, 'num'));
      });
      tr.appendChild(el('td', new Date(s.since).toLocaleString()));
      tr.appendChild(el('td', s.state));
      var kick = el('button', 'Kick', 'tb-kick');
      kick.dataset.id = s.id;
      kick.addEventListener('click', function () { post({ action: 'kick', id: s.id }); });
      var td = el('td');
      td.appendChild(kick);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  function listeners(list, providers) {
    var body = document.querySelector('#tb-listeners tbody');
    body.textContent = '';
    list.forEach(function (l) {
      var tr = el('tr');
      tr.dataset.pid = l.pid;
      [l.name, l.pid, l.proto, l.address].forEach(function (v) { tr.appendChild(el('td', v)); });
      [l.sessions, l.controlIn, l.drops].forEach(function (v) { tr.appendChild(el('td', v, 'num')); });
      var select = el('select', null, 'tb-provider');
      providers.forEach(function (p) {
        var o = el('option', p);
        o.value = p;
        o.selected = p === l.tlsProvider;
        select.appendChild(o);
      });
      select.addEventListener('change', function () { post({ action: 'provider', pid: l.pid, provider: select.value }); });
      var td = el('td');
      td.appendChild(select);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  function chains(c) {
    var box = document.getElementById('tb-chains');
    box.textContent = '';
    Object.keys(c).forEach(function (dir) {
      box.appendChild(el('h3', dir));
      var t = el('table', null, 'nicetable tb-chain');
      t.dataset.direction = dir;
      var head = el('tr');
      ['Slot', 'Box', 'Order', 'Provider bundle', 'Service', 'Packets', 'Bytes', 'Held', 'Dropped by reason'].forEach(function (h) {
        head.appendChild(el('th', h));
      });
      t.appendChild(head);
      c[dir].forEach(function (s) {
        var tr = el('tr');
        tr.dataset.slot = s.name;
        tr.appendChild(el('td', s.name));
        tr.appendChild(el('td', s.box));
        tr.appendChild(el('td', s.order, 'num'));
        tr.appendChild(el('td', s.bundle, s.bundle === 'MISSING' ? 'tb-missing' : null));
        tr.appendChild(el('td', s.service < 0 ? '-' : s.service, 'num'));
        [s.packets, bytes(s.bytes), s.held].forEach(function (v) { tr.appendChild(el('td', v, 'num')); });
        var drops = Object.keys(s.drops).map(function (k) { return k + ' ' + s.drops[k]; }).join(', ');
        tr.appendChild(el('td', drops || '-', drops ? 'tb-drops' : null));
        t.appendChild(tr);
      });
      box.appendChild(t);
    });
  }

  function graph(history) {
    var c = document.getElementById('tb-graph');
    var g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    var max = 1;
    history.forEach(function (p) { max = Math.max(max, p[1], p[2]); });
    g.fillStyle = '#666';
    g.font = '11px sans-serif';
    g.fillText(bytes(max) + '/s', 4, 12);
    var now = Date.now();
    var span = 5 * 60 * 1000;
    [[1, '#1f77b4'], [2, '#d62728']].forEach(function (series) {
      g.strokeStyle = series[1];
      g.lineWidth = 2;
      g.beginPath();
      history.forEach(function (p, i) {
        var x = c.width - (now - p[0]) / span * c.width;
        var y = c.height - 4 - p[series[0]] / max * (c.height - 20);
        if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
      });
      g.stroke();
    });
  }

  function detail() {
    if (selected === null) { return; }
    fetch(base + '/session.json?id=' + encodeURIComponent(selected), { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error('gone'); } return r.json(); })
      .then(function (d) {
        document.getElementById('tb-detail').hidden = false;
        document.getElementById('tb-detail-title').textContent = 'Session ' + d.session.name + ' (' + d.session.real + ')';
        var body = document.querySelector('#tb-detail-table tbody');
        body.textContent = '';
        [['Peer id', d.peerId], ['TLS', d.session.tls + ' ' + d.tlsProtocol], ['Compression', d.compression],
          ['Keepalive', d.keepalive], ['Pushed options', d.options.join('\n')], ['Client said', d.peerInfo.join('\n')],
          ['Manglers', d.manglers.join('\n') || 'none in the chains']].forEach(function (row) {
          var tr = el('tr');
          tr.appendChild(el('th', row[0]));
          var td = el('td', row[1]);
          td.style.whiteSpace = 'pre-wrap';
          tr.appendChild(td);
          body.appendChild(tr);
        });
        graph(d.history);
      })
      .catch(function () { document.getElementById('tb-detail').hidden = true; selected = null; });
  }

  function refresh() {
    fetch(base + '/data.json', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        sessions(d.sessions);
        listeners(d.listeners, d.tlsProviders);
        chains(d.chains);
        document.getElementById('tb-updated').textContent = 'Updated ' + new Date().toLocaleTimeString() + '.';
        detail();
      });
  }

  refresh();
  setInterval(refresh, 2000);
}());
