// The wikiedits dashboard: fetches the fixed panels of /api/ and draws them with ECharts (served by the app).
// Every text from the data goes in with textContent; links only when the API built one (https, plain host).
(function () {
  'use strict';
  var REFRESH_MS = 2000;
  var charts = {};
  var hasCharts = typeof window.echarts !== 'undefined';

  function el(id) { return document.getElementById(id); }
  function panelOf(id) { return el(id).closest('.panel'); }

  function getJson(path) {
    return fetch(path, { cache: 'no-store' }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(body.error || ('HTTP ' + response.status + ' from ' + path)); }
        return body;
      });
    });
  }

  // An empty state that says why, or the panel's content with the number of rows drawn (data-rows).
  function showEmpty(panel, why) {
    var p = panel.querySelector('.empty');
    p.textContent = why;
    p.hidden = false;
    panel.dataset.rows = '0';
    panel.querySelectorAll('.chart, table, ol, dl, .split').forEach(function (n) { n.hidden = true; });
  }
  function showFilled(panel, rows) {
    panel.querySelector('.empty').hidden = true;
    panel.dataset.rows = String(rows);
    panel.querySelectorAll('.chart, table, ol, dl, .split').forEach(function (n) { n.hidden = false; });
  }

  function chart(id, option) {
    if (!hasCharts) { showEmpty(panelOf(id), 'Charts are unavailable: echarts.min.js is not on the class path'); return; }
    var c = charts[id] || (charts[id] = echarts.init(el(id), null, { renderer: 'canvas' }));
    option.animation = false;
    c.setOption(option, true);
    c.resize();
  }

  // A ranking as horizontal bars, the first row on top; returns the number of rows drawn.
  function bars(id, rows, label, value, color) {
    var top = rows.slice().reverse();
    chart(id, {
      tooltip: {}, grid: { left: 150, right: 12, top: 10, bottom: 24 },
      yAxis: { type: 'category', data: top.map(function (r) { return r[label]; }), axisLabel: { width: 140, overflow: 'truncate' } },
      xAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', color: color, data: top.map(function (r) { return r[value]; }) }]
    });
    return rows.length;
  }

  function link(text, url) {
    if (url && url.indexOf('https://') === 0) {
      var a = document.createElement('a');
      a.href = url; a.textContent = text; a.target = '_blank'; a.rel = 'noopener noreferrer';
      return a;
    }
    return document.createTextNode(text);
  }
  function cell(row, content, cls) {
    var td = document.createElement('td');
    if (cls) { td.className = cls; }
    if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content == null ? '' : content; }
    row.appendChild(td);
  }
  function signed(n) { return n == null ? '' : (n > 0 ? '+' : '') + n.toLocaleString(); }
  function time(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : ''; }

  // Calls one panel; a failure (index unreachable, ...) shows the API's reason in the panel.
  function panel(path, panelId, draw) {
    return getJson(path).then(function (body) {
      if (body.empty) { showEmpty(el(panelId), body.empty); return; }
      showFilled(el(panelId), 0); // visible before drawing: a chart drawn while hidden has no size
      showFilled(el(panelId), draw(body));
    }).catch(function (e) { showEmpty(el(panelId), e.message); });
  }

  // ---------------------------------------------------------------- live
  // The live page's panels in page order, each its section (id panel-<name>: title, layout, content; fixed
  // markup, never data) and how it draws its API answer (/api/live/<name>, or its path), returning rows drawn.
  var LIVE_PANELS = [
    { name: 'rate', layout: 'wide', title: 'Events per second <small>last 15 minutes of event time</small>',
      content: '<div class="chart" id="chart-rate"></div>',
      draw: function (r) {
        chart('chart-rate', {
          tooltip: { trigger: 'axis' }, legend: { data: ['human', 'bot'] },
          grid: { left: 40, right: 12, top: 30, bottom: 24 },
          xAxis: { type: 'category', data: r.points.map(function (p) { return time(p.time).slice(11, 19); }) },
          yAxis: { type: 'value', name: '/s' },
          series: [
            { name: 'human', type: 'line', stack: 'all', areaStyle: {}, showSymbol: false, color: '#3366cc', data: r.points.map(function (p) { return +p.human.toFixed(2); }) },
            { name: 'bot', type: 'line', stack: 'all', areaStyle: {}, showSymbol: false, color: '#f59e0b', data: r.points.map(function (p) { return +p.bot.toFixed(2); }) }
          ]
        });
        return r.points.length;
      } },

    { name: 'types', title: 'By type, bots and humans', content: '<div class="chart" id="chart-types"></div>',
      draw: function (t) {
        chart('chart-types', {
          tooltip: { trigger: 'axis' }, legend: { data: ['human', 'bot'] },
          grid: { left: 70, right: 12, top: 30, bottom: 24 },
          yAxis: { type: 'category', data: t.types.map(function (x) { return x.type; }) },
          xAxis: { type: 'value' },
          series: [
            { name: 'human', type: 'bar', stack: 'all', color: '#3366cc', data: t.types.map(function (x) { return x.human; }) },
            { name: 'bot', type: 'bar', stack: 'all', color: '#f59e0b', data: t.types.map(function (x) { return x.bot; }) }
          ]
        });
        return t.types.length;
      } },

    { name: 'top-wikis', title: 'Top wikis', content: '<div class="chart" id="chart-top-wikis"></div>',
      draw: function (w) { return bars('chart-top-wikis', w.wikis, 'wiki', 'events', '#3366cc'); } },

    { name: 'top-pages', title: 'Most edited pages', content: '<div class="chart" id="chart-top-pages"></div>',
      draw: function (p) { return bars('chart-top-pages', p.pages, 'title', 'edits', '#16a34a'); } },

    { name: 'pipeline', path: '/api/pipeline', title: 'Pipeline', content: '<dl id="pipeline"></dl>',
      draw: function (p) {
        var dl = el('pipeline');
        dl.textContent = '';
        el('pipeline-status').textContent = p.status;
        var items = [['status', p.status + (p.reasons.length ? ': ' + p.reasons.join('; ') : '')],
          ['events received', p.received.toLocaleString()], ['dead letters', p.deadLetters.toLocaleString()],
          ['event-time lag (newest event)', p.lag],
          ['end-to-end latency (receipt to every sink)', 'mean ' + p.latencyMean + ', max ' + p.latencyMax]];
        Object.keys(p.delivered).forEach(function (sink) { items.push(['delivered to ' + sink, p.delivered[sink].toLocaleString()]); });
        items.forEach(function (item) {
          var dt = document.createElement('dt'); dt.textContent = item[0];
          var dd = document.createElement('dd'); dd.textContent = item[1];
          dl.appendChild(dt); dl.appendChild(dd);
        });
        return items.length;
      } },

    { name: 'biggest-changes', layout: 'double', title: 'Biggest additions and removals',
      content: '<div class="split"><ol id="additions"></ol><ol id="removals"></ol></div>',
      draw: function (b) {
        [['additions', b.additions, 'plus'], ['removals', b.removals, 'minus']].forEach(function (list) {
          var ol = el(list[0]);
          ol.textContent = '';
          list[1].forEach(function (c) {
            var li = document.createElement('li');
            var size = document.createElement('span');
            size.className = list[2];
            size.textContent = signed(c.lengthDelta) + ' ';
            li.appendChild(size);
            li.appendChild(link((c.title || '?') + ' (' + (c.wiki || '') + ')', c.url));
            ol.appendChild(li);
          });
        });
        return b.additions.length + b.removals.length;
      } },

    { name: 'feed', query: '?limit=15', layout: 'wide', title: 'Latest changes',
      content: '<table><colgroup><col style="width:7em"><col style="width:9em"><col><col style="width:22%"><col style="width:6em"><col style="width:7em"></colgroup>'
        + '<thead><tr><th>time (UTC)</th><th>wiki</th><th>page</th><th>user</th><th class="num">size</th><th>type</th></tr></thead>'
        + '<tbody id="feed"></tbody></table>',
      draw: function (f) {
        var body = el('feed');
        body.textContent = '';
        f.changes.forEach(function (c) {
          var tr = document.createElement('tr');
          cell(tr, time(c.time).slice(11));
          cell(tr, c.wiki);
          cell(tr, link(c.title || '(no title)', c.url));
          cell(tr, (c.user || '') + (c.bot ? ' (bot)' : ''));
          cell(tr, signed(c.lengthDelta), 'num');
          cell(tr, c.type);
          body.appendChild(tr);
        });
        return f.changes.length;
      } }
  ];

  LIVE_PANELS.forEach(function (p) {
    var section = document.createElement('section');
    section.className = 'panel' + (p.layout ? ' ' + p.layout : '');
    section.id = 'panel-' + p.name;
    section.innerHTML = '<h2>' + p.title + '</h2>' + p.content + '<p class="empty" hidden></p>';
    el('live').appendChild(section);
  });

  function refreshLive() {
    getJson('/api/live/summary').then(function (s) {
      var count = el('event-count');
      count.dataset.value = String(s.events);
      count.textContent = s.events.toLocaleString();
      el('newest').textContent = s.newest ? time(s.newest) + ' UTC' : 'none yet';
      el('banner').hidden = !s.empty;
      el('banner').textContent = s.empty || '';
    }).catch(function (e) {
      el('banner').hidden = false;
      el('banner').textContent = e.message;
    });
    LIVE_PANELS.forEach(function (p) {
      panel((p.path || '/api/live/' + p.name) + (p.query || ''), 'panel-' + p.name, p.draw);
    });
  }

  // ---------------------------------------------------------------- history
  function refreshHistory() {
    var range = '?from=' + encodeURIComponent(el('from').value) + '&to=' + encodeURIComponent(el('to').value);

    panel('/api/history/daily' + range, 'panel-daily', function (d) {
      chart('chart-daily', {
        tooltip: { trigger: 'axis' }, legend: { data: ['events', 'bot share'] },
        grid: { left: 60, right: 50, top: 30, bottom: 24 },
        xAxis: { type: 'category', data: d.rows.map(function (r) { return r.dt; }) },
        yAxis: [{ type: 'value' }, { type: 'value', max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } }],
        series: [
          { name: 'events', type: 'bar', color: '#3366cc', data: d.rows.map(function (r) { return r.events; }) },
          { name: 'bot share', type: 'line', yAxisIndex: 1, color: '#f59e0b', data: d.rows.map(function (r) { return r.bot_share; }) }
        ]
      });
      var body = el('daily');
      body.textContent = '';
      d.rows.forEach(function (r) {
        var tr = document.createElement('tr');
        tr.dataset.day = r.dt;
        tr.dataset.events = String(r.events);
        cell(tr, r.dt);
        cell(tr, r.events.toLocaleString(), 'num');
        cell(tr, r.bot_events.toLocaleString(), 'num');
        cell(tr, r.bot_share == null ? '' : (r.bot_share * 100).toFixed(1) + ' %', 'num');
        body.appendChild(tr);
      });
      return d.rows.length;
    });

    panel('/api/history/hourly' + range, 'panel-hourly', function (h) {
      chart('chart-hourly', {
        tooltip: { trigger: 'axis' }, grid: { left: 60, right: 12, top: 10, bottom: 24 },
        xAxis: { type: 'category', data: h.rows.map(function (r) { return r.dt + ' ' + r.hour + 'h'; }) },
        yAxis: { type: 'value' },
        series: [{ type: 'line', color: '#3366cc', areaStyle: {}, data: h.rows.map(function (r) { return r.events; }) }]
      });
      return h.rows.length;
    });

    panel('/api/history/top-wikis' + range, 'panel-history-wikis', function (w) {
      return bars('chart-history-wikis', w.rows, 'wiki', 'events', '#3366cc');
    });

    panel('/api/history/top-pages' + range, 'panel-history-pages', function (p) {
      var ol = el('history-pages');
      ol.textContent = '';
      p.rows.forEach(function (r) {
        var li = document.createElement('li');
        li.textContent = r.title + ' (' + r.wiki + '): ' + r.edits.toLocaleString() + ' edits';
        ol.appendChild(li);
      });
      return p.rows.length;
    });
  }

  // ---------------------------------------------------------------- tabs
  var liveTimer = null;
  function show(tab) {
    var live = tab === 'live';
    el('live').hidden = !live;
    el('history').hidden = live;
    el('tab-live').classList.toggle('active', live);
    el('tab-history').classList.toggle('active', !live);
    if (live) {
      refreshLive();
      liveTimer = liveTimer || setInterval(refreshLive, REFRESH_MS);
    } else {
      clearInterval(liveTimer);
      liveTimer = null;
      refreshHistory();
    }
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  }

  var today = new Date().toISOString().slice(0, 10);
  el('to').value = today;
  el('from').value = new Date(Date.now() - 6 * 86400000).toISOString().slice(0, 10);
  el('range').addEventListener('submit', function (e) { e.preventDefault(); refreshHistory(); });
  el('tab-live').addEventListener('click', function () { show('live'); });
  el('tab-history').addEventListener('click', function () { show('history'); });
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); });
  show('live');
}());
