// The status page's script: polls api/v1/streams and shows it. Everything shown is set with
// textContent (user agents and the like come from strangers); no markup is ever built from data.
'use strict';
(function () {
  var STREAMS = 'api/v1/streams';
  var TOKEN_KEY = 'aceproxy.status.token';
  var POLL_MS = 2000;
  var timer = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function storedToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  function keepToken(token) {
    try {
      if (token === null) {
        window.sessionStorage.removeItem(TOKEN_KEY);
      } else {
        window.sessionStorage.setItem(TOKEN_KEY, token);
      }
    } catch (e) {
      // storage refused: the token lives in this page only
    }
    memoryToken = token;
  }

  var memoryToken = storedToken();

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '–' : String(text);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function bytes(n) {
    if (typeof n !== 'number') {
      return '–';
    }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function bitrate(bps) {
    if (typeof bps !== 'number') {
      return '–';
    }
    return bps >= 1e6 ? (bps / 1e6).toFixed(2) + ' Mbit/s' : (bps / 1e3).toFixed(0) + ' kbit/s';
  }

  function duration(seconds) {
    if (typeof seconds !== 'number') {
      return '–';
    }
    var s = Math.floor(seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    return (h > 0 ? h + 'h ' : '') + (h > 0 || m > 0 ? m + 'm ' : '') + rest + 's';
  }

  function since(instant, now) {
    var t = Date.parse(instant);
    var n = Date.parse(now);
    return isNaN(t) || isNaN(n) ? '–' : duration(Math.max(0, (n - t) / 1000));
  }

  function known(value, suffix) {
    return value === null || value === undefined ? '–' : value + (suffix || '');
  }

  function say(text, problem) {
    var state = byId('state');
    state.textContent = text;
    state.className = problem ? 'problem' : '';
  }

  function replaceRows(table) {
    var body = table.tBodies[0];
    while (body.firstChild) {
      body.removeChild(body.firstChild);
    }
    return body;
  }

  function renderTotals(totals) {
    var list = byId('totals');
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    var items = [
      ['Sessions', totals.sessions], ['Players', totals.clients], ['Bytes in', bytes(totals.bytes_in)],
      ['Bytes out', bytes(totals.bytes_out)], ['Reconnects', totals.reconnects],
      ['Failovers', totals.failovers], ['Evictions', totals.evictions],
      ['Skipped', bytes(totals.skipped_bytes)]
    ];
    items.forEach(function (item) {
      var box = document.createElement('div');
      var dt = document.createElement('dt');
      var dd = document.createElement('dd');
      dt.textContent = item[0];
      dd.textContent = String(item[1]);
      box.appendChild(dt);
      box.appendChild(dd);
      list.appendChild(box);
    });
    byId('totals-section').hidden = false;
  }

  function renderEngines(engines) {
    var body = replaceRows(byId('engines'));
    engines.forEach(function (e) {
      var row = document.createElement('tr');
      cell(row, e.url, 'content');
      cell(row, e.healthy ? 'healthy' : 'unhealthy', e.healthy ? 'healthy' : 'unhealthy');
      cell(row, e.version);
      cell(row, e.sessions, 'number');
      cell(row, e.consecutive_failures, 'number');
      body.appendChild(row);
    });
    byId('engines-section').hidden = engines.length === 0;
  }

  function playersTable(session, now) {
    var table = document.createElement('table');
    var head = document.createElement('tr');
    ['Address', 'User agent', 'Connected', 'Sent', 'Queued', 'Skipped'].forEach(function (name) {
      var th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    });
    var thead = document.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var body = document.createElement('tbody');
    (session.clients || []).forEach(function (c) {
      var row = document.createElement('tr');
      row.className = 'player';
      cell(row, c.remote_address);
      cell(row, c.user_agent, 'agent');
      cell(row, since(c.connected_since, now), 'number');
      cell(row, bytes(c.bytes_sent), 'number');
      cell(row, bytes(c.queued_bytes), 'number');
      cell(row, bytes(c.skipped_bytes), 'number');
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function renderSessions(status) {
    var body = replaceRows(byId('sessions'));
    var sessions = status.sessions || [];
    sessions.forEach(function (s) {
      var row = document.createElement('tr');
      row.className = 'session';
      row.setAttribute('data-key', String(s.key));
      var content = s.channel ? s.channel + ' (' + s.content + ')' : s.content;
      cell(row, content, 'content');
      cell(row, s.state, 'state');
      cell(row, duration(s.uptime_seconds), 'number');
      cell(row, bitrate(s.bitrate_bps), 'number');
      cell(row, s.engine, 'content');
      cell(row, s.reconnects, 'number');
      cell(row, s.failovers, 'number');
      var stats = s.engine_stats;
      cell(row, stats ? known(stats.peers) : null, 'number');
      cell(row, stats ? known(stats.speed_down_kbps, ' KB/s') + ' / ' + known(stats.speed_up_kbps, ' KB/s') : null,
        'number');
      cell(row, s.clients_total, 'number players-count');
      body.appendChild(row);
      if ((s.clients || []).length > 0) {
        var players = document.createElement('tr');
        players.className = 'players';
        var holder = document.createElement('td');
        holder.colSpan = 10;
        holder.appendChild(playersTable(s, status.at));
        players.appendChild(holder);
        body.appendChild(players);
      }
    });
    byId('no-sessions').hidden = sessions.length > 0;
    byId('truncated').hidden = !status.clients_truncated;
    byId('sessions-section').hidden = false;
  }

  function renderHls(sessions) {
    var body = replaceRows(byId('hls'));
    (sessions || []).forEach(function (h) {
      var row = document.createElement('tr');
      cell(row, h.content, 'content');
      cell(row, h.viewers, 'number');
      cell(row, h.segments, 'number');
      cell(row, bytes(h.bytes_held), 'number');
      cell(row, h.discontinuities, 'number');
      cell(row, h.segments_served, 'number');
      body.appendChild(row);
    });
    byId('hls-section').hidden = !sessions || sessions.length === 0;
  }

  function render(status) {
    byId('token-form').hidden = true;
    renderTotals(status.totals);
    renderEngines(status.engines || []);
    renderSessions(status);
    renderHls(status.hls);
    say('Updated ' + new Date(Date.parse(status.at)).toLocaleTimeString() + '; refreshed every '
      + (POLL_MS / 1000) + ' s.', false);
    document.body.setAttribute('data-updated', String(status.at));
  }

  function askToken(reason) {
    stop();
    byId('token-reason').textContent = reason;
    byId('token-form').hidden = false;
    say('Waiting for the access token.', true);
    byId('token-input').focus();
  }

  function stop() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  function schedule(ms) {
    stop();
    timer = window.setTimeout(poll, ms);
  }

  function retryAfter(response) {
    var seconds = parseInt(response.headers.get('Retry-After') || '', 10);
    return isNaN(seconds) ? POLL_MS : Math.max(POLL_MS, seconds * 1000);
  }

  function problem(response) {
    return response.json().then(function (body) {
      return body && typeof body.message === 'string' ? body.message : 'HTTP ' + response.status;
    }, function () {
      return 'HTTP ' + response.status;
    });
  }

  function poll() {
    timer = null;
    var headers = {'Accept': 'application/json'};
    if (memoryToken) {
      headers['Authorization'] = 'Bearer ' + memoryToken;
    }
    window.fetch(STREAMS, {headers: headers, cache: 'no-store', credentials: 'omit'}).then(function (response) {
      if (response.status === 401) {
        var refused = memoryToken !== null;
        keepToken(null);
        askToken(refused ? 'The proxy refused that token; enter it again.'
          : 'This proxy needs its access token to show its status.');
        return null;
      }
      if (!response.ok) {
        return problem(response).then(function (message) {
          say('The status is not available (HTTP ' + response.status + '): ' + message, true);
          schedule(retryAfter(response));
        });
      }
      return response.json().then(function (status) {
        render(status);
        schedule(POLL_MS);
      });
    }).catch(function (e) {
      say('The proxy does not answer: ' + e, true);
      schedule(POLL_MS * 2);
    });
  }

  function start() {
    byId('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = byId('token-input');
      var token = input.value.trim();
      input.value = '';
      if (token.length > 0) {
        keepToken(token);
        byId('token-form').hidden = true;
        say('Loading…', false);
        poll();
      }
    });
    poll();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
