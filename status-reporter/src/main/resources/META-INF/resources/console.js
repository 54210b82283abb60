// Rebound's Restores console: plain browser JavaScript on Rebound's own API (README "Console").
// Every call carries the bearer token the operator signed in with; the API decides what is allowed.
'use strict';

const TOKEN_KEY = 'rebound.token';
const PAGE_SIZES = [20, 50, 100];

/** The console's four statuses, each a set of Velero phases (what the list's Status filter sends). */
const STATUSES = {
  'Progressing': ['New', 'InProgress', 'WaitingForPluginOperations', 'WaitingForPluginOperationsPartiallyFailed',
    'Finalizing', 'FinalizingPartiallyFailed'],
  'Completed': ['Completed'],
  'Failed': ['Failed', 'FailedValidation'],
  'Partially Completed': ['PartiallyFailed'],
  'Canceled': ['Canceled'],
};
const ENDED = ['Completed', 'Failed', 'FailedValidation', 'PartiallyFailed', 'Canceled'];
const CANCEL_REQUESTED_BY = 'rebound.dev/cancel-requested-by';
const DRY_RUN = 'rebound.dev/dry-run';
const CREATED_BY = 'rebound.dev/created-by';
const TARGET_CLUSTERS = 'rebound.dev/target-clusters';
const DESCRIPTION = 'rebound.dev/description';
const INLINE_MODIFIERS = 'rebound.dev/resource-modifiers';
const OPERATORS = ['Equals', 'In', 'NotIn', 'Exists', 'DoesNotExist'];

const view = document.getElementById('view');
const state = { self: null, clusters: null, streams: [] };

// ---------- plumbing ----------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function api(path, options = {}) {
  const headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.self = null;
    showLogin(body && body.message ? body.message : 'Unauthorized');
    throw new ApiError(401, body && body.message || 'Unauthorized', body);
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.message ? body.message : 'HTTP ' + response.status, body);
  }
  return body;
}

/** Server-sent events through fetch (EventSource cannot send the Authorization header). */
function stream(path, onEvent, onEnd) {
  const controller = new AbortController();
  state.streams.push(controller);
  (async () => {
    try {
      const response = await fetch(path, {
        headers: { 'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + token() },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = chunk.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
          if (data) onEvent(JSON.parse(data));
        }
      }
      if (onEnd) onEnd();
    } catch (e) {
      if (e.name !== 'AbortError' && onEnd) onEnd(e);
    }
  })();
  return controller;
}

function stopStreams() {
  state.streams.forEach(c => c.abort());
  state.streams = [];
}

function statusOf(phase) {
  for (const [status, phases] of Object.entries(STATUSES)) {
    if (phases.includes(phase)) return status;
  }
  return 'Progressing';
}

function badge(phase) {
  const status = statusOf(phase || 'New');
  return h('span', { class: 'badge ' + status.replace(' ', ''), title: phase || 'New', 'data-test': 'status' }, status);
}

function annotation(restore, key) {
  return (restore.metadata && restore.metadata.annotations || {})[key];
}

function clustersOf(restore) {
  const named = annotation(restore, TARGET_CLUSTERS);
  if (named) return named.split(',').map(s => s.trim()).filter(Boolean);
  return state.clusters ? [state.clusters.defaultCluster] : [];
}

function when(ts) {
  return ts ? new Date(ts).toLocaleString() : '—';
}

function duration(start, end) {
  if (!start) return '—';
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  const s = Math.max(0, Math.round(ms / 1000));
  const parts = [];
  if (s >= 3600) parts.push(Math.floor(s / 3600) + 'h');
  if (s >= 60) parts.push(Math.floor((s % 3600) / 60) + 'm');
  parts.push((s % 60) + 's');
  return parts.join(' ') + (end ? '' : ' (running)');
}

function errorBox(e) {
  return h('div', { class: 'error', 'data-test': 'error' }, e instanceof Error ? e.message : String(e));
}

async function loadClusters() {
  if (!state.clusters) {
    state.clusters = await api('/api/v1/clusters');
  }
  return state.clusters;
}

// ---------- sign-in ----------

function showLogin(message) {
  stopStreams();
  document.getElementById('who').textContent = '';
  document.getElementById('sign-out').hidden = true;
  const input = h('textarea', { id: 'token', rows: 4, placeholder: 'Bearer token', 'data-test': 'token' });
  view.replaceChildren(h('div', { class: 'login panel' },
    h('h1', {}, 'Sign in to Rebound'),
    h('p', { class: 'muted' }, 'Paste a bearer token: a Kubernetes token of the management cluster (for example '
      + 'kubectl create token <service-account>) or an OIDC ID token of the configured issuer.'),
    message && message !== 'Unauthorized' ? errorBox(message) : null,
    input,
    h('p', {}, h('button', { class: 'primary', id: 'sign-in', onclick: async () => {
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      await route();
    } }, 'Sign in'))));
}

async function ensureSelf() {
  if (!token()) {
    showLogin();
    return false;
  }
  if (!state.self) {
    state.self = await api('/api/v1/self');
    document.getElementById('who').textContent = state.self.username
      + (state.self.canCreateRestores ? ' · super-admin' : ' · viewer');
    document.getElementById('sign-out').hidden = false;
  }
  return true;
}

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  state.self = null;
  state.clusters = null;
  resetList();
  history.replaceState(null, '', '#/restores');
  showLogin();
});

// ---------- list ----------

const listState = {};

/** The list's filters and page, as a new operator starts with them. */
function resetList() {
  Object.assign(listState, { search: '', cluster: '', status: '', createdBy: '', limit: 20, tokens: [null], page: 0,
    creators: new Set() });
}
resetList();

async function showList() {
  const clusters = await loadClusters();
  const search = h('input', { id: 'search', type: 'search', placeholder: 'Search name, backup, schedule',
    value: listState.search, size: 30 });
  const cluster = h('select', { id: 'filter-cluster' }, h('option', { value: '' }, 'All clusters'),
    clusters.items.map(c => h('option', { value: c.name }, c.name)));
  cluster.value = listState.cluster;
  const status = h('select', { id: 'filter-status' }, h('option', { value: '' }, 'All statuses'),
    Object.keys(STATUSES).map(s => h('option', { value: s }, s)));
  status.value = listState.status;
  const creators = h('datalist', { id: 'creators' }, [...listState.creators].map(c => h('option', { value: c })));
  const createdBy = h('input', { id: 'filter-created-by', list: 'creators', placeholder: 'Created by',
    value: listState.createdBy });
  const size = h('select', { id: 'page-size' }, PAGE_SIZES.map(n => h('option', { value: n }, n + ' per page')));
  size.value = String(listState.limit);
  const apply = () => {
    listState.search = search.value.trim();
    listState.cluster = cluster.value;
    listState.status = status.value;
    listState.createdBy = createdBy.value.trim();
    listState.limit = Number(size.value);
    listState.tokens = [null];
    listState.page = 0;
    renderRows();
  };
  search.addEventListener('keydown', e => { if (e.key === 'Enter') apply(); });
  [cluster, status, size].forEach(el => el.addEventListener('change', apply));
  createdBy.addEventListener('change', apply);
  const body = h('tbody', { id: 'restore-rows' });
  const pager = h('div', { class: 'pager', id: 'pager' });
  view.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', {}, 'Restores'), h('span', { class: 'spacer' }),
      state.self.canCreateRestores
        ? h('button', { class: 'primary', id: 'new-restore', onclick: () => { location.hash = '#/new'; } }, 'New Restore')
        : null),
    h('div', { class: 'toolbar' }, search, h('button', { id: 'search-button', onclick: apply }, 'Search'),
      cluster, status, createdBy, creators, size),
    h('div', { id: 'list-error' }),
    h('table', { id: 'restores' },
      h('thead', {}, h('tr', {}, ['Restore Name', 'Status', 'Target Cluster', 'Backup Source', 'Schedule', 'Created By',
        'Date'].map(c => h('th', {}, c)))),
      body),
    pager);

  async function renderRows() {
    stopStreams();
    const params = new URLSearchParams({ sort: 'newest', limit: String(listState.limit) });
    if (listState.search) params.set('search', listState.search);
    if (listState.cluster) params.set('cluster', listState.cluster);
    if (listState.status) params.set('phase', STATUSES[listState.status].join(','));
    if (listState.createdBy) params.set('createdBy', listState.createdBy);
    const cont = listState.tokens[listState.page];
    if (cont) params.set('continue', cont);
    let list;
    try {
      list = await api('/api/v1/restores?' + params);
    } catch (e) {
      document.getElementById('list-error').replaceChildren(errorBox(e));
      return;
    }
    document.getElementById('list-error').replaceChildren();
    const items = list.items || [];
    items.forEach(r => { const c = annotation(r, CREATED_BY); if (c) listState.creators.add(c); });
    creators.replaceChildren(...[...listState.creators].map(c => h('option', { value: c })));
    body.replaceChildren(...(items.length ? items.map(row)
      : [h('tr', {}, h('td', { colspan: 7, class: 'muted', 'data-test': 'empty' }, 'No restores match.'))]));
    const remaining = list.metadata && list.metadata.remainingItemCount || 0;
    const from = listState.page * listState.limit;
    listState.tokens[listState.page + 1] = list.metadata && list.metadata.continue || null;
    pager.replaceChildren(
      h('button', { id: 'prev-page', disabled: listState.page === 0,
        onclick: () => { listState.page--; renderRows(); } }, 'Previous'),
      h('span', { class: 'muted', id: 'page-info' }, items.length
        ? `${from + 1}–${from + items.length} of ${from + items.length + remaining}` : '0 restores'),
      h('button', { id: 'next-page', disabled: !remaining,
        onclick: () => { listState.page++; renderRows(); } }, 'Next'));
  }

  function row(r) {
    const phase = r.status && r.status.phase || 'New';
    const statusCell = h('td', {}, badge(phase), progressText(r));
    const tr = h('tr', { 'data-test': 'restore-row', 'data-name': r.metadata.name },
      h('td', {}, h('a', { href: '#/restores/' + encodeURIComponent(r.metadata.name), class: 'restore-link' },
        r.metadata.name)),
      statusCell,
      h('td', { 'data-test': 'cluster' }, clustersOf(r).join(', ')),
      h('td', { 'data-test': 'backup' }, r.spec && r.spec.backupName || '—'),
      h('td', { 'data-test': 'schedule' }, r.spec && r.spec.scheduleName || '—'),
      h('td', { 'data-test': 'created-by' }, annotation(r, CREATED_BY) || '—'),
      h('td', {}, when(r.metadata.creationTimestamp)));
    if (!ENDED.includes(phase)) {
      // Live progress of the rows still running, pushed by the API.
      stream('/api/v1/restores/' + encodeURIComponent(r.metadata.name) + '/watch', update => {
        const p = update.status && update.status.phase || 'New';
        statusCell.replaceChildren(...[badge(p), progressText(update)].filter(Boolean));
      });
    }
    return tr;
  }
  await renderRows();
}

function progressText(r) {
  const progress = r.status && r.status.progress;
  if (!progress || ENDED.includes(r.status.phase)) return null;
  return h('span', { class: 'muted', 'data-test': 'progress' }, ` ${progress.itemsRestored}/${progress.totalItems}`);
}

// ---------- new restore ----------

function rows(container, make) {
  const list = h('div', { class: 'rows' });
  const add = (values) => list.append(make(values || {}, el => el.remove()));
  container.append(list, h('button', { type: 'button', class: 'add', onclick: () => add() }, '+ Add'));
  return { list, add };
}

function lines(text) {
  return text.split(/[\n,]/).map(s => s.trim()).filter(Boolean);
}

async function showForm() {
  if (!state.self.canCreateRestores) {
    view.replaceChildren(errorBox('Only super-admins may create restores.'));
    return;
  }
  const [clusters, backups, schedules] = await Promise.all([loadClusters(), api('/api/v1/backups'),
    api('/api/v1/schedules')]);
  const f = {};
  f.name = h('input', { id: 'name', required: true, size: 40 });
  f.description = h('input', { id: 'description', size: 60 });
  const labels = h('div', { id: 'labels' });
  const labelRows = rows(labels, (v, remove) => {
    const div = h('div', {}, h('input', { class: 'label-key', placeholder: 'key', value: v.key }),
      h('input', { class: 'label-value', placeholder: 'value', value: v.value }));
    div.append(h('button', { type: 'button', onclick: () => remove(div) }, '×'));
    return div;
  });
  f.sourceBackup = h('input', { type: 'radio', name: 'source', id: 'source-backup', value: 'backup', checked: true });
  f.sourceSchedule = h('input', { type: 'radio', name: 'source', id: 'source-schedule', value: 'schedule' });
  f.backup = h('select', { id: 'backup' }, (backups.items || []).map(b => h('option', { value: b.metadata.name },
    b.metadata.name + (b.status && b.status.phase ? ' (' + b.status.phase + ')' : ''))));
  f.schedule = h('select', { id: 'schedule' }, (schedules.items || []).map(s => h('option', { value: s.name },
    s.name + (s.latestBackup ? ' (latest: ' + s.latestBackup + ')' : ' (no completed backup)'))));
  f.cluster = h('select', { id: 'cluster' }, clusters.items.map(c => h('option', { value: c.name },
    c.name + (c.default ? ' (default)' : ''))));
  if (clusters.defaultCluster) f.cluster.value = clusters.defaultCluster;
  f.allNamespaces = h('input', { type: 'radio', name: 'namespaces', id: 'namespaces-all', checked: true });
  f.someNamespaces = h('input', { type: 'radio', name: 'namespaces', id: 'namespaces-specific' });
  f.included = h('textarea', { id: 'included-namespaces', rows: 2, placeholder: 'one per line; a regular expression in /slashes/ matches many' });
  f.excluded = h('textarea', { id: 'excluded-namespaces', rows: 2, placeholder: 'one per line' });
  f.includedExpansion = h('div', { class: 'expansion', id: 'included-expansion' });
  f.excludedExpansion = h('div', { class: 'expansion', id: 'excluded-expansion' });
  const selectors = h('div', { id: 'label-selectors' });
  const groups = [];
  const addGroup = () => {
    const group = h('div', { class: 'group selector-group' }, h('div', { class: 'title' },
      `Group ${groups.length + 1} (all conditions must match; any group may match)`));
    const conditions = rows(group, (v, remove) => {
      const op = h('select', { class: 'selector-operator' }, OPERATORS.map(o => h('option', { value: o }, o)));
      op.value = v.operator || 'Equals';
      const div = h('div', {}, h('input', { class: 'selector-key', placeholder: 'label key', value: v.key }), op,
        h('input', { class: 'selector-values', placeholder: 'value(s), comma-separated', value: v.values }));
      div.append(h('button', { type: 'button', onclick: () => remove(div) }, '×'));
      return div;
    });
    conditions.add();
    groups.push(group);
    selectors.append(group);
  };
  f.statusIncluded = h('input', { id: 'status-included', size: 50, placeholder: 'resource.group, comma-separated' });
  f.statusExcluded = h('input', { id: 'status-excluded', size: 50, placeholder: 'resource.group, comma-separated' });
  const mapping = h('div', { id: 'namespace-mapping' });
  rows(mapping, (v, remove) => {
    const div = h('div', {}, h('input', { class: 'map-source', placeholder: 'source namespace', value: v.source }), '→',
      h('input', { class: 'map-target', placeholder: 'target namespace', value: v.target }));
    div.append(h('button', { type: 'button', onclick: () => remove(div) }, '×'));
    return div;
  });
  f.clusterResources = h('select', { id: 'include-cluster-resources' }, h('option', { value: '' }, 'Auto'),
    h('option', { value: 'true' }, 'Include all'), h('option', { value: 'false' }, 'Exclude all'));
  f.restorePVs = h('input', { type: 'checkbox', id: 'restore-volumes', checked: true });
  f.preserveNodePorts = h('input', { type: 'checkbox', id: 'preserve-node-ports' });
  f.policy = h('select', { id: 'existing-resource-policy' }, h('option', { value: 'none' }, 'Skip'),
    h('option', { value: 'update' }, 'Update'));
  f.modifierNone = h('input', { type: 'radio', name: 'modifier', id: 'modifier-none', checked: true });
  f.modifierConfigMap = h('input', { type: 'radio', name: 'modifier', id: 'modifier-configmap' });
  f.modifierName = h('input', { id: 'modifier-configmap-name', placeholder: 'ConfigMap in the Velero namespace' });
  f.modifierInline = h('input', { type: 'radio', name: 'modifier', id: 'modifier-inline' });
  f.modifierRules = h('textarea', { id: 'modifier-inline-rules', rows: 8, cols: 60, placeholder: [
    'version: v1', 'resourceModifierRules:', '- conditions:', '    groupResource: deployments.apps',
    '    namespaces: [my-app]', '  patches:', '  - operation: replace', '    path: /spec/replicas',
    '    value: "1"'].join('\n') });
  f.parallel = h('input', { id: 'parallel-files-download', type: 'number', min: 0, value: 0 });
  f.sparse = h('input', { type: 'checkbox', id: 'write-sparse-files' });
  f.timeout = h('input', { id: 'item-operation-timeout', placeholder: 'e.g. 4h (Velero default)' });
  const problems = h('div', { id: 'form-errors' });

  const build = () => {
    const annotations = { [TARGET_CLUSTERS]: f.cluster.value };
    if (f.description.value.trim()) annotations[DESCRIPTION] = f.description.value.trim();
    const labelMap = {};
    labelRows.list.querySelectorAll('div').forEach(d => {
      const k = d.querySelector('.label-key').value.trim();
      if (k) labelMap[k] = d.querySelector('.label-value').value.trim();
    });
    const spec = {};
    if (f.sourceBackup.checked) spec.backupName = f.backup.value;
    else spec.scheduleName = f.schedule.value;
    if (f.someNamespaces.checked) {
      const inc = lines(f.included.value);
      const exc = lines(f.excluded.value);
      if (inc.length) spec.includedNamespaces = inc;
      if (exc.length) spec.excludedNamespaces = exc;
    }
    const selectorsOut = groups.map(g => {
      const labelsEq = {};
      const exprs = [];
      g.querySelectorAll('.rows > div').forEach(d => {
        const key = d.querySelector('.selector-key').value.trim();
        if (!key) return;
        const op = d.querySelector('.selector-operator').value;
        const values = lines(d.querySelector('.selector-values').value);
        if (op === 'Equals') labelsEq[key] = values[0] || '';
        else exprs.push(op === 'Exists' || op === 'DoesNotExist' ? { key, operator: op } : { key, operator: op, values });
      });
      const sel = {};
      if (Object.keys(labelsEq).length) sel.matchLabels = labelsEq;
      if (exprs.length) sel.matchExpressions = exprs;
      return sel;
    }).filter(s => Object.keys(s).length);
    if (selectorsOut.length === 1) spec.labelSelector = selectorsOut[0];
    else if (selectorsOut.length > 1) spec.orLabelSelectors = selectorsOut;
    const inc = lines(f.statusIncluded.value);
    const exc = lines(f.statusExcluded.value);
    if (inc.length || exc.length) {
      spec.restoreStatus = {};
      if (inc.length) spec.restoreStatus.includedResources = inc;
      if (exc.length) spec.restoreStatus.excludedResources = exc;
    }
    const map = {};
    mapping.querySelectorAll('.rows > div').forEach(d => {
      const s = d.querySelector('.map-source').value.trim();
      const t = d.querySelector('.map-target').value.trim();
      if (s && t) map[s] = t;
    });
    if (Object.keys(map).length) spec.namespaceMapping = map;
    if (f.clusterResources.value) spec.includeClusterResources = f.clusterResources.value === 'true';
    spec.restorePVs = f.restorePVs.checked;
    if (f.preserveNodePorts.checked) spec.preserveNodePorts = true;
    spec.existingResourcePolicy = f.policy.value;
    if (f.modifierConfigMap.checked && f.modifierName.value.trim()) {
      spec.resourceModifier = { kind: 'configmap', name: f.modifierName.value.trim() };
    }
    // Rebound makes the ConfigMap from the annotation in the target's Velero namespace (and removes it with the restore).
    if (f.modifierInline.checked) annotations[INLINE_MODIFIERS] = f.modifierRules.value;
    const uploader = {};
    if (Number(f.parallel.value) > 0) uploader.parallelFilesDownload = Number(f.parallel.value);
    if (f.sparse.checked) uploader.writeSparseFiles = true;
    if (Object.keys(uploader).length) spec.uploaderConfig = uploader;
    if (f.timeout.value.trim()) spec.itemOperationTimeout = f.timeout.value.trim();
    const metadata = { name: f.name.value.trim(), annotations };
    if (Object.keys(labelMap).length) metadata.labels = labelMap;
    return { apiVersion: 'velero.io/v1', kind: 'Restore', metadata, spec };
  };

  /** The API's own checks, nothing stored (dryRun=All): the same messages as a real submission. */
  const validate = async () => {
    const restore = build();
    if (!restore.metadata.name) {
      problems.replaceChildren(errorBox('metadata.name: Required value: a restore needs a name'));
      return null;
    }
    try {
      const checked = await api('/api/v1/restores?dryRun=All', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(restore) });
      // Regular expressions (/.../) are expanded by the API against the backup's namespaces: show what they matched.
      const isPattern = e => e.length > 2 && e.startsWith('/') && e.endsWith('/');
      const expansion = (asked, got) => asked && asked.some(isPattern) ? 'Matches: ' + (got || []).join(', ') : '';
      f.includedExpansion.textContent = expansion(restore.spec.includedNamespaces, checked.spec.includedNamespaces);
      f.excludedExpansion.textContent = expansion(restore.spec.excludedNamespaces, checked.spec.excludedNamespaces);
      const errors = checked.status && checked.status.validationErrors || [];
      if (errors.length) {
        problems.replaceChildren(errorBox('Velero would fail this restore\'s validation:\n' + errors.join('\n')));
        return null;
      }
      problems.replaceChildren();
      return restore;
    } catch (e) {
      problems.replaceChildren(errorBox(e));
      return null;
    }
  };
  const submit = async () => {
    const restore = await validate();
    if (!restore) return;
    try {
      const created = await api('/api/v1/restores', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(restore) });
      location.hash = '#/restores/' + encodeURIComponent(created.metadata.name);
    } catch (e) {
      problems.replaceChildren(errorBox(e));
    }
  };
  addGroup();
  view.replaceChildren(
    h('div', { class: 'toolbar' }, h('h1', {}, 'New Restore'), h('span', { class: 'spacer' }),
      h('button', { onclick: () => { location.hash = '#/restores'; } }, 'Cancel'),
      h('button', { id: 'validate', onclick: validate }, 'Validate'),
      h('button', { class: 'primary', id: 'create', onclick: submit }, 'Create Restore')),
    problems,
    h('div', { class: 'panel' }, h('h2', {}, 'Basic details'), h('div', { class: 'form-grid' },
      h('label', { for: 'name' }, 'Restore name *'), h('div', {}, f.name,
        h('div', { class: 'hint' }, 'Unique; lower case letters, digits, "-" and "."')),
      h('label', { for: 'description' }, 'Description'), f.description,
      h('label', {}, 'Labels'), labels,
      h('label', {}, 'Restore from'), h('div', {},
        h('div', {}, f.sourceBackup, h('label', { for: 'source-backup' }, ' A specific backup '), f.backup),
        h('div', {}, f.sourceSchedule, h('label', { for: 'source-schedule' }, ' The latest backup of a schedule '),
          f.schedule)))),
    h('div', { class: 'panel' }, h('h2', {}, 'Restore target'), h('div', { class: 'form-grid' },
      h('label', { for: 'cluster' }, 'Target cluster'), f.cluster,
      h('label', {}, 'Namespaces'), h('div', {},
        h('div', {}, f.allNamespaces, h('label', { for: 'namespaces-all' }, ' All namespaces')),
        h('div', {}, f.someNamespaces, h('label', { for: 'namespaces-specific' }, ' Specific namespaces'))),
      h('label', { for: 'included-namespaces' }, 'Included namespaces'), h('div', {}, f.included, f.includedExpansion),
      h('label', { for: 'excluded-namespaces' }, 'Excluded namespaces'), h('div', {}, f.excluded, f.excludedExpansion),
      h('label', {}, 'Label selectors'), h('div', {}, selectors,
        h('button', { type: 'button', id: 'add-selector-group', onclick: addGroup }, '+ Add group (OR)')))),
    h('div', { class: 'panel' }, h('h2', {}, 'Restore settings'), h('div', { class: 'form-grid' },
      h('label', { for: 'status-included' }, 'Restore status of (include)'), f.statusIncluded,
      h('label', { for: 'status-excluded' }, 'Restore status of (exclude)'), f.statusExcluded,
      h('label', {}, 'Namespace mapping'), mapping,
      h('label', { for: 'include-cluster-resources' }, 'Include cluster resources'), f.clusterResources,
      h('label', { for: 'restore-volumes' }, 'Restore volumes'), f.restorePVs,
      h('label', { for: 'preserve-node-ports' }, 'Preserve node ports'), f.preserveNodePorts,
      h('label', { for: 'existing-resource-policy' }, 'Existing resource policy'), f.policy,
      h('label', {}, 'Modify resources'), h('div', {},
        h('div', {}, f.modifierNone, h('label', { for: 'modifier-none' }, ' No')),
        h('div', {}, f.modifierConfigMap, h('label', { for: 'modifier-configmap' }, ' With a resource modifier ConfigMap '),
          f.modifierName),
        h('div', {}, f.modifierInline, h('label', { for: 'modifier-inline' },
          ' With inline JSON patches (Velero\'s resource modifier rules, YAML or JSON)')),
        h('div', {}, f.modifierRules)))),
    h('div', { class: 'panel' }, h('h2', {}, 'Timeout and execution'), h('div', { class: 'form-grid' },
      h('label', { for: 'parallel-files-download' }, 'Parallel files download'), h('div', {}, f.parallel,
        h('div', { class: 'hint' }, '0: as many as the node has CPUs')),
      h('label', { for: 'write-sparse-files' }, 'Write sparse files'), f.sparse,
      h('label', { for: 'item-operation-timeout' }, 'Item operation timeout'), f.timeout)));
}

// ---------- detail ----------

async function showDetail(name, tab) {
  const path = '/api/v1/restores/' + encodeURIComponent(name);
  let restore = await api(path);
  const left = h('div', { class: 'panel', id: 'facts' });
  const right = h('div', { class: 'panel' });
  const live = h('span', { class: 'live', id: 'live' });
  const problems = h('div', { id: 'detail-errors' });
  // Super-admins may delete an ended restore: it goes with its files in the bucket (Velero's delete).
  const remove = async () => {
    if (!confirm(`Delete restore ${name}? Its files in the bucket are deleted too; restored objects stay.`)) return;
    try {
      await api(path, { method: 'DELETE' });
      location.hash = '#/restores';
    } catch (e) {
      problems.replaceChildren(errorBox(e));
    }
  };
  const deleteButton = h('button', { id: 'delete-restore', onclick: remove }, 'Delete');
  const canDelete = r => state.self.canCreateRestores && ENDED.includes(r.status && r.status.phase)
    && !(r.metadata && r.metadata.deletionTimestamp);
  deleteButton.hidden = !canDelete(restore);
  // Super-admins may cancel a running restore: nothing more of it is restored (README "Cancel").
  const cancel = async () => {
    if (!confirm(`Cancel restore ${name}? Items not restored yet are not restored; restored objects stay.`)) return;
    try {
      cancelButton.disabled = true;
      await renderFacts(await api(path + '/cancel', { method: 'POST' }));
    } catch (e) {
      cancelButton.disabled = false;
      problems.replaceChildren(errorBox(e));
    }
  };
  const cancelButton = h('button', { id: 'cancel-restore', onclick: cancel }, 'Cancel restore');
  const canCancel = r => state.self.canCreateRestores && !ENDED.includes(r.status && r.status.phase)
    && !annotation(r, CANCEL_REQUESTED_BY);
  cancelButton.hidden = !canCancel(restore);
  view.replaceChildren(
    h('div', { class: 'toolbar' }, h('a', { href: '#/restores' }, '← Restores'), h('h1', { id: 'restore-name' }, name),
      live, h('span', { class: 'spacer' }), cancelButton, deleteButton),
    problems,
    h('div', { class: 'detail' }, left, right));
  const backups = {};
  const renderFacts = async (r) => {
    const s = r.status || {};
    const progress = s.progress || {};
    const total = progress.totalItems || 0;
    const restored = progress.itemsRestored || 0;
    const backupName = r.spec && r.spec.backupName;
    if (backupName && !(backupName in backups)) {
      backups[backupName] = null;
      try {
        backups[backupName] = await api('/api/v1/backups/' + encodeURIComponent(backupName));
      } catch (e) {
        backups[backupName] = null;
      }
    }
    const backup = backupName && backups[backupName];
    const spec = r.spec || {};
    left.replaceChildren(h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { 'data-test': 'detail-status' }, badge(s.phase), ' ', h('span', { class: 'muted' },
        s.phase || 'New'), r.metadata && r.metadata.deletionTimestamp
        ? h('div', { class: 'muted', 'data-test': 'detail-deleting' }, 'Being deleted since ' + when(r.metadata.deletionTimestamp))
        : null, annotation(r, DRY_RUN) === 'true'
        ? h('div', { class: 'muted', 'data-test': 'detail-dry-run' }, 'Dry run: nothing was changed in the cluster')
        : null, annotation(r, CANCEL_REQUESTED_BY) && s.phase !== 'Canceled'
        ? h('div', { class: 'muted', 'data-test': 'detail-canceling' }, 'Canceling (asked by '
          + annotation(r, CANCEL_REQUESTED_BY) + ')') : null),
      h('dt', {}, 'Warnings & Errors'), h('dd', { 'data-test': 'detail-warnings-errors' },
        `${s.warnings || 0} warnings, ${s.errors || 0} errors`),
      h('dt', {}, 'Resources restored'), h('dd', { 'data-test': 'detail-resources' }, `${restored} of ${total}`,
        h('div', { class: 'progress' }, h('span', { style: `width:${total ? Math.round(100 * restored / total) : 0}%` }))),
      h('dt', {}, 'Target Cluster'), h('dd', { 'data-test': 'detail-cluster' }, clustersOf(r).join(', ')),
      h('dt', {}, 'Created By'), h('dd', { 'data-test': 'detail-created-by' }, annotation(r, CREATED_BY) || '—'),
      h('dt', {}, 'Restored From Backup'), h('dd', { 'data-test': 'detail-backup' },
        backupName ? h('a', { href: '/api/v1/backups/' + encodeURIComponent(backupName), target: '_blank',
          id: 'backup-link' }, backupName) : (spec.scheduleName ? 'latest of schedule ' + spec.scheduleName : '—'),
        backup && backup.status && backup.status.startTimestamp
          ? h('div', { class: 'muted', 'data-test': 'detail-backup-time' }, when(backup.status.startTimestamp)) : null),
      h('dt', {}, 'Duration'), h('dd', { 'data-test': 'detail-duration' }, duration(s.startTimestamp,
        s.completionTimestamp)),
      h('dt', {}, 'Included Resources'), h('dd', { 'data-test': 'detail-included' },
        (spec.includedResources || []).join(', ') || '*'),
      h('dt', {}, 'Excluded Resources'), h('dd', { 'data-test': 'detail-excluded' },
        (spec.excludedResources || []).join(', ') || '—'),
      s.failureReason ? [h('dt', {}, 'Failure reason'), h('dd', {}, s.failureReason)] : null,
      s.validationErrors ? [h('dt', {}, 'Validation errors'), h('dd', { 'data-test': 'detail-validation' },
        s.validationErrors.join('; '))] : null));
  };
  await renderFacts(restore);

  const tabs = [['mapping', 'Namespace Mapping'], ['manifest', 'Manifest'], ['clusters', 'Clusters'],
    ['resources', 'Resource List'], ['results', 'Results'], ['logs', 'Logs']];
  if (annotation(restore, DRY_RUN) === 'true') tabs.unshift(['dryrun', 'Dry Run']);
  const tabBar = h('div', { class: 'tabs' });
  const pane = h('div', { id: 'tab-pane' });
  right.replaceChildren(tabBar, pane);
  const showTab = async (id) => {
    tabBar.querySelectorAll('button').forEach(b => b.classList.toggle('active', b.dataset.tab === id));
    try {
      if (id === 'mapping') {
        const map = restore.spec && restore.spec.namespaceMapping || {};
        pane.replaceChildren(Object.keys(map).length
          ? h('table', { id: 'mapping-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Source namespace'),
            h('th', {}, 'Target namespace'))), h('tbody', {}, Object.entries(map).map(([s, t]) =>
            h('tr', { 'data-test': 'mapping-row' }, h('td', {}, s), h('td', {}, t)))))
          : h('p', { class: 'muted' }, 'No namespace mapping: namespaces are restored under their own names.'));
      } else if (id === 'manifest') {
        pane.replaceChildren(h('pre', { id: 'manifest' }, toYaml(restore)));
      } else if (id === 'clusters') {
        const clusters = await api(path + '/clusters');
        pane.replaceChildren(h('table', { id: 'clusters-table' }, h('thead', {}, h('tr', {},
          ['Cluster', 'Phase', 'Restored', 'Warnings', 'Errors', 'Completed'].map(c => h('th', {}, c)))),
          h('tbody', {}, clusters.map(c => h('tr', { 'data-test': 'cluster-row' }, h('td', {}, c.cluster),
            h('td', {}, badge(c.phase), ' ', c.phase), h('td', {}, `${c.itemsRestored} of ${c.totalItems}`),
            h('td', {}, c.warnings), h('td', {}, c.errors), h('td', {}, when(c.completionTimestamp)))))));
      } else if (id === 'dryrun') {
        // What the restore would do to each item; an existing object that differs shows its diff.
        const items = await api(path + '/dry-run');
        const counts = {};
        items.forEach(i => { counts[i.verdict] = (counts[i.verdict] || 0) + 1; });
        pane.replaceChildren(h('p', { id: 'dry-run-summary' }, ['create', 'update', 'skip', 'fail']
          .map(v => `${counts[v] || 0} would ${v}`).join(', ')),
        h('table', { id: 'dry-run-table' }, h('thead', {}, h('tr', {},
          ['Cluster', 'Resource', 'Namespace', 'Name', 'Would', 'Detail'].map(c => h('th', {}, c)))),
        h('tbody', {}, items.map(i => h('tr', { 'data-test': 'dry-run-row', 'data-verdict': i.verdict },
          h('td', {}, i.cluster), h('td', {}, i.resource), h('td', {}, i.namespace || ''), h('td', {}, i.name),
          h('td', {}, h('span', { class: 'verdict ' + i.verdict }, i.verdict)),
          h('td', {}, i.detail || '', i.diff ? h('pre', { class: 'diff' }, JSON.stringify(i.diff, null, 2)) : null))))));
      } else if (id === 'resources') {
        pane.replaceChildren(h('pre', { id: 'resource-list' }, JSON.stringify(await api(path + '/resources'), null, 2)));
      } else if (id === 'results') {
        pane.replaceChildren(h('pre', { id: 'results' }, JSON.stringify(await api(path + '/results'), null, 2)));
      } else if (id === 'logs') {
        const response = await fetch(path + '/logs', { headers: { 'Authorization': 'Bearer ' + token() } });
        pane.replaceChildren(h('pre', { id: 'logs' }, await response.text()));
      }
    } catch (e) {
      pane.replaceChildren(errorBox(e));
    }
  };
  for (const [id, label] of tabs) {
    const b = h('button', { 'data-tab': id, id: 'tab-' + id, onclick: () => {
      location.hash = '#/restores/' + encodeURIComponent(name) + '/' + id;
    } }, label);
    tabBar.append(b);
  }
  await showTab(tab || tabs[0][0]);
  if (!ENDED.includes(restore.status && restore.status.phase)) {
    live.textContent = '● live';
    stream(path + '/watch', async update => {
      restore = update;
      deleteButton.hidden = !canDelete(update);
      cancelButton.hidden = !canCancel(update);
      await renderFacts(update);
    }, () => { live.textContent = ''; });
  }
}

/** The Restore as YAML, for the Manifest tab: maps, lists and scalars, as kubectl -o yaml writes them. */
function toYaml(value) {
  return emitYaml(value, 0).replace(/^\n/, '') + '\n';
}

function emitYaml(v, depth) {
  const pad = '  '.repeat(depth);
  const isMap = x => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (Array.isArray(v)) {
    if (!v.length) return ' []';
    return v.map(item => isMap(item) && Object.keys(item).length
      ? '\n' + pad + '- ' + emitYaml(item, depth + 1).replace(/^\n\s*/, '')
      : '\n' + pad + '-' + emitYaml(item, depth + 1)).join('');
  }
  if (isMap(v)) {
    const keys = Object.keys(v);
    if (!keys.length) return ' {}';
    return keys.map(k => '\n' + pad + (/^[A-Za-z0-9_.\/-]+$/.test(k) ? k : JSON.stringify(k)) + ':'
      + emitYaml(v[k], depth + 1)).join('');
  }
  if (v === null || v === undefined) return ' null';
  if (typeof v === 'string') {
    const plain = v !== '' && /^[A-Za-z0-9_.\/@ -]*$/.test(v) && !/^[ -]|[ ]$/.test(v)
      && !/^(true|false|null|yes|no|on|off|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(v);
    return ' ' + (plain ? v : JSON.stringify(v));
  }
  return ' ' + String(v);
}

// ---------- routing ----------

async function route() {
  stopStreams();
  try {
    if (!(await ensureSelf())) return;
    const parts = (location.hash || '#/restores').slice(2).split('/').map(decodeURIComponent);
    if (parts[0] === 'new') await showForm();
    else if (parts[0] === 'restores' && parts[1]) await showDetail(parts[1], parts[2]);
    else await showList();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) view.replaceChildren(errorBox(e));
  }
}

window.addEventListener('hashchange', route);
route();
