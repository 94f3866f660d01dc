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
      tooltip: {}, grid: { left: 150, right: 28, top: 10, bottom: 24 }, // room for the last axis label
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
  // Whether the times span more than one UTC day: then rows show their dates, not only the time of day.
  function spansDays(isos) {
    return isos.some(function (iso) { return iso && isos[0] && iso.slice(0, 10) !== isos[0].slice(0, 10); });
  }
  // The rate's unit for a bar width: per second up to 1-minute bars, then per minute, hour or day.
  function rateUnit(bucketSeconds) {
    if (bucketSeconds >= 86400) { return { name: 'day', seconds: 86400 }; }
    if (bucketSeconds >= 3600) { return { name: 'hour', seconds: 3600 }; }
    if (bucketSeconds > 60) { return { name: 'minute', seconds: 60 }; }
    return { name: 'second', seconds: 1 };
  }

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
  // A windowed panel covers the chosen window (?window=) and says which in its title's <small class="window">.
  var LIVE_PANELS = [
    { name: 'rate', layout: 'wide', windowed: true, title: '<span id="rate-title">Events per second</span>',
      content: '<div class="chart" id="chart-rate"></div>',
      draw: function (r) {
        var unit = rateUnit(r.bucketSeconds);
        var times = r.points.map(function (p) { return p.time; });
        var label = r.bucketSeconds >= 86400 ? function (t) { return t.slice(0, 10); }
          : spansDays(times) ? function (t) { return time(t).slice(0, 16); } : function (t) { return time(t).slice(11, 19); };
        el('rate-title').textContent = 'Events per ' + unit.name;
        chart('chart-rate', {
          tooltip: { trigger: 'axis' }, legend: { data: ['human', 'bot'] },
          grid: { left: 40, right: 16, top: 30, bottom: 24, containLabel: true },
          xAxis: { type: 'category', data: times.map(label) },
          yAxis: { type: 'value', name: '/' + unit.name },
          series: [
            { name: 'human', type: 'line', stack: 'all', areaStyle: {}, showSymbol: false, color: '#3366cc', data: r.points.map(function (p) { return +(p.human * unit.seconds).toFixed(2); }) },
            { name: 'bot', type: 'line', stack: 'all', areaStyle: {}, showSymbol: false, color: '#f59e0b', data: r.points.map(function (p) { return +(p.bot * unit.seconds).toFixed(2); }) }
          ]
        });
        return r.points.length;
      } },

    { name: 'types', windowed: true, title: 'By type, bots and humans', content: '<div class="chart" id="chart-types"></div>',
      draw: function (t) {
        chart('chart-types', {
          tooltip: { trigger: 'axis' }, legend: { data: ['human', 'bot'] },
          // labels inside the chart: the value axis's last label is not cut at the right edge
          grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
          yAxis: { type: 'category', data: t.types.map(function (x) { return x.type; }) },
          xAxis: { type: 'value' },
          series: [
            { name: 'human', type: 'bar', stack: 'all', color: '#3366cc', data: t.types.map(function (x) { return x.human; }) },
            { name: 'bot', type: 'bar', stack: 'all', color: '#f59e0b', data: t.types.map(function (x) { return x.bot; }) }
          ]
        });
        return t.types.length;
      } },

    { name: 'top-wikis', windowed: true, title: 'Top wikis', content: '<div class="chart" id="chart-top-wikis"></div>',
      draw: function (w) { return bars('chart-top-wikis', w.wikis, 'wiki', 'events', '#3366cc'); } },

    { name: 'top-pages', windowed: true, title: 'Most edited pages', content: '<div class="chart" id="chart-top-pages"></div>',
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

    { name: 'biggest-changes', layout: 'double', windowed: true, title: 'Biggest additions and removals',
      content: '<div class="split"><ol id="additions"></ol><ol id="removals"></ol></div>',
      draw: function (b) {
        var dated = spansDays(b.additions.concat(b.removals).map(function (c) { return c.time; }));
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
            if (dated) {
              var when = document.createElement('small');
              when.textContent = ' ' + (c.time || '').slice(0, 10);
              li.appendChild(when);
            }
            ol.appendChild(li);
          });
        });
        return b.additions.length + b.removals.length;
      } },

    { name: 'feed', query: 'limit=15', layout: 'wide', title: 'Latest changes <small>the newest 15, whatever the window</small>',
      content: '<table><colgroup><col id="feed-time" style="width:7em"><col style="width:9em"><col><col style="width:22%"><col style="width:6em"><col style="width:7em"></colgroup>'
        + '<thead><tr><th>time (UTC)</th><th>wiki</th><th>page</th><th>user</th><th class="num">size</th><th>type</th></tr></thead>'
        + '<tbody id="feed"></tbody></table>',
      draw: function (f) {
        var body = el('feed');
        body.textContent = '';
        // rows of more than one day show their dates (a replay of old recordings), else the time of day
        var dated = spansDays(f.changes.map(function (c) { return c.time; }));
        el('feed-time').style.width = dated ? '13em' : '7em';
        f.changes.forEach(function (c) {
          var tr = document.createElement('tr');
          cell(tr, dated ? time(c.time) : time(c.time).slice(11));
          cell(tr, c.wiki);
          cell(tr, link(c.title || '(no title)', c.url));
          cell(tr, (c.user || '') + (c.bot ? ' (bot)' : ''));
          cell(tr, signed(c.lengthDelta), 'num');
          cell(tr, c.type);
          body.appendChild(tr);
        });
        return f.changes.length;
      } },
    { name: 'alerts', query: 'limit=10', layout: 'wide', title: 'Alerts <small>the newest 10 of the detectors, whatever the window</small>',
      content: '<table><thead><tr><th>time (UTC)</th><th>kind</th><th>subject</th><th class="num">in window</th>'
        + '<th class="num">usual</th></tr></thead><tbody id="alerts"></tbody></table>',
      draw: function (a) {
        var body = el('alerts');
        body.textContent = '';
        a.alerts.forEach(function (r) {
          var tr = document.createElement('tr');
          cell(tr, time(r.time));
          cell(tr, r.kind);
          cell(tr, link(r.subject, r.link));
          cell(tr, String(r.count), 'num');
          cell(tr, String(r.baseline), 'num');
          body.appendChild(tr);
        });
        return a.alerts.length;
      } }
  ];

  LIVE_PANELS.forEach(function (p) {
    var section = document.createElement('section');
    section.className = 'panel' + (p.layout ? ' ' + p.layout : '');
    section.id = 'panel-' + p.name;
    section.innerHTML = '<h2>' + p.title + (p.windowed ? ' <small class="window"></small>' : '') + '</h2>'
      + p.content + '<p class="empty" hidden></p>';
    el('live').appendChild(section);
  });

  function refreshLive() {
    var chosen = el('window').value;
    getJson('/api/live/summary?window=' + encodeURIComponent(chosen)).then(function (s) {
      var count = el('event-count');
      count.dataset.value = String(s.events);
      count.textContent = s.events.toLocaleString();
      el('newest').textContent = s.newest ? time(s.newest) + ' UTC' : 'none yet';
      el('banner').hidden = !s.empty;
      el('banner').textContent = s.empty || '';
      var said = !s.windowLabel ? '' : s.window === 'all'
        ? s.windowLabel + ', ' + time(s.windowFrom).slice(0, 10) + ' to ' + time(s.windowTo).slice(0, 10)
        : s.windowLabel + ' up to the newest event';
      document.querySelectorAll('#live small.window').forEach(function (small) { small.textContent = said; });
    }).catch(function (e) {
      el('banner').hidden = false;
      el('banner').textContent = e.message;
    });
    LIVE_PANELS.forEach(function (p) {
      var query = [p.windowed ? 'window=' + encodeURIComponent(chosen) : '', p.query || ''].filter(Boolean).join('&');
      panel((p.path || '/api/live/' + p.name) + (query ? '?' + query : ''), 'panel-' + p.name, p.draw);
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
        series: [{ type: 'bar', color: '#3366cc', data: h.rows.map(function (r) { return r.events; }) }]
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

  // The history opens on the lake's days (its last week that has events), and says which days it has.
  var lakeDaysRead = null;
  function openOnLakeDays() {
    lakeDaysRead = lakeDaysRead || getJson('/api/history/days').then(function (d) {
      var days = d.rows.map(function (r) { return r.dt; });
      if (!days.length) { el('lake-days').textContent = 'The lake has no days yet.'; return; }
      var last = days[days.length - 1];
      var weekBefore = new Date(Date.parse(last + 'T00:00:00Z') - 6 * 86400000).toISOString().slice(0, 10);
      el('to').value = last;
      el('from').value = weekBefore < days[0] ? days[0] : weekBefore;
      el('lake-days').textContent = 'The lake has ' + (days.length === 1 ? 'one day: ' + last
        : days.length + ' days, from ' + days[0] + ' to ' + last + (days.length <= 12 ? ': ' + days.join(', ') : ''));
    }).catch(function (e) { el('lake-days').textContent = e.message; });
    return lakeDaysRead;
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
      openOnLakeDays().then(refreshHistory);
    }
    Object.keys(charts).forEach(function (id) { charts[id].resize(); });
  }

  var today = new Date().toISOString().slice(0, 10);
  el('to').value = today;
  el('from').value = new Date(Date.now() - 6 * 86400000).toISOString().slice(0, 10);
  el('range').addEventListener('submit', function (e) { e.preventDefault(); refreshHistory(); });
  el('window').addEventListener('change', refreshLive);
  el('tab-live').addEventListener('click', function () { show('live'); });
  el('tab-history').addEventListener('click', function () { show('history'); });
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); });
  show('live');
}());
