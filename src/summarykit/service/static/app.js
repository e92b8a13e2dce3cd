// summarykit page: a form generated from the records JSON Schema (/schema), checked by /validate as
// the user types, previewed through /render?format=html, downloaded as DOCX or PDF; started from a
// template's sample, last year's DOCX or a workbook (/import).  Plain JS, no libraries, nothing from
// the network but this service.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { schema: null, templates: [], orgTypes: [], mode: "form", timer: null, seq: 0, lastData: null,
  sheetFile: null };

// Fields shown under "更多" (less common), and fields written in a multi-line box.
const MINOR = new Set(["details", "after", "lead", "tables", "paragraphs", "note", "caption", "subtitle",
  "next_period", "audience", "author", "kind", "title", "run_in", "inline_items", "subsections", "name"]);
const LONG = new Set(["text", "intro", "closing", "paragraphs", "details", "after", "lead", "body"]);
const TOP = ["meta", "intro", "achievements", "experiences", "problems", "plans", "closing", "signature"];
// meta.template comes from the template list above; 单位类型 is org_type's Chinese key (the same field).
const HIDDEN = new Set(["template", "单位类型"]);

// ------------------------------------------------------------------ schema helpers

function deref(node) {
  while (node && node.$ref) node = state.schema.$defs[node.$ref.split("/").pop()];
  return node || {};
}

// The full form of a node: a $ref resolved, null and short-form branches of anyOf set aside.
function shape(node) {
  node = deref(node);
  if (node.anyOf && !node.properties) {  // an object with an anyOf of constraints (条目: text or metrics) is still that object
    const branches = node.anyOf.map(shape).filter((b) => b.type !== "null");
    const object = branches.find((b) => b.type === "object" || b.properties);
    const array = branches.find((b) => b.type === "array");
    const chosen = object || array || branches[0] || {};
    return { ...chosen, title: node.title || chosen.title, description: node.description || chosen.description };
  }
  return node;
}

function kindOf(node) {
  if (node.properties) return "object";
  if (node.type === "array") return "array";
  const types = [].concat(node.type || []);
  if (node.anyOf && node.anyOf.some((b) => b.type === "boolean")) return "boolean";
  if (types.length === 1 && types[0] === "boolean") return "boolean";
  return "text";
}

// ------------------------------------------------------------------ form building

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

function label(node, key) {
  const title = node.title || key;
  const desc = node.description && node.description !== title ? node.description : "";
  const l = el("span", { class: "label", text: title });
  if (desc) l.append(el("small", { text: desc }));
  return l;
}

// Each builder returns an element with el._collect(path) → value (undefined when empty); collecting
// also records each field's data path, so problems from /validate land on the field they concern.
function build(node, key, value) {
  const s = shape(node);
  const kind = kindOf(s);
  if (kind === "object") return buildObject(s, key, value);
  if (kind === "array") return buildArray(s, key, value);
  if (kind === "boolean") return buildBoolean(s, key, value);
  return buildText(s, key, value);
}

// What an enum choice is called in a select when its own name is not enough.
const CHOICE_LABELS = { "通用": "通用（其他单位）" };

// A field the schema gives a list of values for (单位类型): a select, "（不选）" first; a value
// from loaded records that is not in the list is kept as an extra option, never dropped.
function buildChoice(s, key, value) {
  const wrap = el("div", { class: "sk-field", "data-key": key });
  const select = el("select", { "aria-label": s.title || key });
  const none = /推断/.test(s.description || "") ? "（不选：由单位名称推断）" : "（不选）";
  select.append(el("option", { value: "", text: none }));
  for (const v of s.enum) select.append(el("option", { value: String(v), text: CHOICE_LABELS[v] || String(v) }));
  if (value !== undefined && value !== null && value !== "") {
    if (!s.enum.map(String).includes(String(value))) select.append(el("option", { value: String(value), text: String(value) }));
    select.value = String(value);
  }
  wrap.append(label(s, key), select);
  wrap._collect = (path) => {
    wrap.dataset.path = path;
    return select.value || undefined;
  };
  wrap._set = (v) => { select.value = v; };
  return wrap;
}

function buildText(s, key, value) {
  if (Array.isArray(s.enum) && s.enum.length && !key.startsWith("__")) return buildChoice(s, key, value);
  const wrap = el("div", { class: "sk-field", "data-key": key });
  const long = LONG.has(key) || key === "__item_text" || key === "__long";
  const input = long ? el("textarea", { rows: "2" }) : el("input", { type: "text" });
  if (value !== undefined && value !== null) input.value = String(value);
  const example = (s.examples || [])[0];
  if (example) input.placeholder = "例如 " + example;
  input.setAttribute("aria-label", s.title || key);
  if (!key.startsWith("__")) wrap.append(label(s, key));
  wrap.append(input);
  wrap._collect = (path) => {
    wrap.dataset.path = path;
    const v = input.value.trim();
    if (!v) return undefined;
    if (key === "value" && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    return v;
  };
  return wrap;
}

function buildBoolean(s, key, value) {
  const wrap = el("div", { class: "sk-field", "data-key": key });
  const input = el("input", { type: "checkbox" });
  input.checked = value === true || value === "true";
  const l = el("label", {}, input, document.createTextNode(" " + (s.title || key)));
  if (s.description) l.title = s.description;
  wrap.append(l);
  wrap._collect = (path) => { wrap.dataset.path = path; return input.checked ? true : undefined; };
  return wrap;
}

function buildObject(s, key, value) {
  value = value && typeof value === "object" && !Array.isArray(value) ? value : {};
  const box = el("fieldset", { class: "sk-object", "data-key": key });
  if (key && !key.startsWith("__")) box.append(el("legend", { text: s.title || key }));
  const required = new Set(s.required || []);
  const more = el("details", { class: "more" }, el("summary", { text: "更多（可不填）" }));
  const children = [];
  for (const [name, prop] of Object.entries(s.properties)) {
    if (HIDDEN.has(name) && key === "meta") continue;
    const child = build(prop, name, value[name]);
    children.push([name, child]);
    const minor = MINOR.has(name) && !required.has(name) && value[name] === undefined;
    (minor ? more : box).append(child);
  }
  if (more.children.length > 1) box.append(more);
  box._collect = (path) => {
    box.dataset.path = path;
    const out = {};
    for (const [name, child] of children) {
      const v = child._collect(path ? `${path}.${name}` : name);
      if (v !== undefined) out[name] = v;
    }
    return Object.keys(out).length ? out : undefined;
  };
  return box;
}

function buildArray(s, key, value) {
  const wrap = el("div", { class: "sk-field sk-array", "data-key": key });
  if (!key.startsWith("__")) wrap.append(label(s, key));
  const entries = el("div", { class: "entries" });
  const itemNode = s.items || {};
  const itemShape = shape(itemNode);
  // An item (条目): text and its follow-up details (its text may be left out when metrics draft it).
  const isItem = Boolean(itemShape.properties && itemShape.properties.text && itemShape.properties.details);
  const add = el("button", { type: "button", class: "small add", text: "＋ 添加" + (shape(itemNode).title || "一项") });
  const addEntry = (v) => {
    const entry = el("div", { class: "entry" });
    const child = isItem ? buildItem(itemShape, v) : build(itemNode, LONG.has(key) ? "__long" : "__entry", v);
    const remove = el("button", { type: "button", class: "small quiet remove", text: "删除", title: "删除这一项" });
    remove.addEventListener("click", () => { entry.remove(); changed(); });
    entry.append(child, remove);
    entry._child = child;
    entries.append(entry);
    return entry;
  };
  for (const v of Array.isArray(value) ? value : []) addEntry(v);
  add.addEventListener("click", () => {
    const entry = addEntry(undefined);
    const first = entry.querySelector("input, textarea");
    if (first) first.focus();
    changed();
  });
  wrap.append(entries, add);
  wrap._collect = (path) => {
    wrap.dataset.path = path;
    const out = [];
    for (const entry of entries.children) {
      const v = entry._child._collect(`${path}[${out.length}]`);
      if (v !== undefined) out.push(v);
      else entry._child.dataset.path = "";
    }
    return out.length ? out : undefined;
  };
  return wrap;
}

// An item (条目): its text in a box, numbers and notes under "更多"; written short when only text.
function buildItem(s, value) {
  const v = typeof value === "string" || typeof value === "number" ? { text: value } : (value || {});
  const box = el("div", { class: "sk-item-entry" });
  const text = buildText(s.properties.text, "__item_text", v.text);
  text.dataset.key = "text";
  const metrics = s.properties.metrics ? build(s.properties.metrics, "metrics", v.metrics) : null;
  const details = s.properties.details ? build(s.properties.details, "details", v.details) : null;
  const others = Object.entries(s.properties).filter(([n]) => !["text", "metrics", "details"].includes(n))
    .map(([n, p]) => [n, build(p, n, v[n])]);
  box.append(text);
  const more = el("details", { class: "more" }, el("summary", { text: "数字、说明（可不填）" }));
  if (metrics) more.append(metrics);
  if (details) more.append(details);
  for (const [, child] of others) more.append(child);
  if (v.metrics || v.details) more.open = true;
  box.append(more);
  box._collect = (path) => {
    box.dataset.path = path;
    const out = {};
    const t = text._collect(`${path}.text`);
    if (t !== undefined) out.text = t;
    if (metrics) { const m = metrics._collect(`${path}.metrics`); if (m !== undefined) out.metrics = m; }
    if (details) { const d = details._collect(`${path}.details`); if (d !== undefined) out.details = d; }
    for (const [n, child] of others) { const o = child._collect(`${path}.${n}`); if (o !== undefined) out[n] = o; }
    if (!Object.keys(out).length) return undefined;
    if (Object.keys(out).length === 1 && out.text !== undefined) { text.dataset.path = path; return out.text; }
    return out;
  };
  return box;
}

function buildForm(data) {
  const form = $("records-form");
  form.replaceChildren();
  const props = state.schema.properties;
  const fields = [];
  const more = el("details", { class: "more" }, el("summary", { text: "其他部分：自由章节、统计表、关键词、附件、参考文献" }));
  for (const name of Object.keys(props)) {
    const child = build(props[name], name, data ? data[name] : undefined);
    fields.push([name, child]);
    (TOP.includes(name) || (data && data[name] !== undefined) ? form : more).append(child);
  }
  form.append(more);
  form._collect = () => {
    const out = {};
    for (const [name, child] of fields) {
      const v = child._collect(name);
      if (v !== undefined) out[name] = v;
    }
    return out;
  };
}

// ------------------------------------------------------------------ records out of the page

function currentRecords() {
  const template = $("template").value;
  if (state.mode === "yaml") return { records: $("yaml-text").value, template };
  const data = $("records-form")._collect();
  if (template) data.meta = { ...(data.meta || {}), template };
  return { records: data, template };
}

// Plain data → YAML (strings double-quoted JSON-style, which YAML reads as they are).
function toYaml(value, indent = "") {
  const scalar = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  if (Array.isArray(value)) {
    return value.map((v) => (v !== null && typeof v === "object")
      ? `${indent}-\n${toYaml(v, indent + "  ")}` : `${indent}- ${scalar(v)}`).join("\n");
  }
  return Object.entries(value).map(([k, v]) => (v !== null && typeof v === "object")
    ? `${indent}${k}:\n${toYaml(v, indent + "  ")}` : `${indent}${k}: ${scalar(v)}`).join("\n");
}

async function post(path, body) {
  return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

// ------------------------------------------------------------------ checking and preview

function clearProblems() {
  for (const e of document.querySelectorAll(".has-problem")) e.classList.remove("has-problem");
  for (const e of document.querySelectorAll(".field-problem")) e.remove();
  $("problems").replaceChildren();
}

function fieldFor(path) {
  const all = new Map();
  for (const e of document.querySelectorAll("#records-form [data-path]")) if (e.dataset.path) all.set(e.dataset.path, e);
  let p = path;
  for (;;) {
    if (all.has(p)) return all.get(p);
    const shorter = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (shorter === p) return null;
    p = shorter;
  }
}

function showProblems(payload) {
  clearProblems();
  const status = $("status");
  if (payload.ok) {
    status.textContent = "格式正确，可以下载。";
    status.className = "status ok";
    return;
  }
  const problems = payload.problems || [];
  status.textContent = problems.length ? `发现 ${problems.length} 处问题：` : payload.message;
  status.className = "status bad";
  for (const p of problems) {
    const where = state.mode === "yaml" && p.line ? `第 ${p.line} 行` : (p.path || "");
    const text = p.message + (p.hint ? `（${p.hint}）` : "");
    $("problems").append(el("li", {}, el("span", { class: "where", text: where }), document.createTextNode(text)));
    if (state.mode !== "form") continue;
    const field = fieldFor(p.path || "");
    if (field) {
      field.classList.add("has-problem");
      field.append(el("p", { class: "field-problem", text }));
    }
  }
}

async function check() {
  const seq = ++state.seq;
  const body = currentRecords();
  const empty = state.mode === "yaml" ? !body.records.trim() : !Object.keys(body.records).some((k) => k !== "meta");
  if (empty && !(body.records.meta && Object.keys(body.records.meta).length > 1)) {
    clearProblems();
    $("status").textContent = "尚未填写。";
    $("status").className = "status";
    return;
  }
  let payload;
  try {
    const response = await post("/validate", body);
    payload = await response.json();
  } catch (e) {
    payload = { ok: false, message: "无法连接服务：" + e, problems: [] };
  }
  if (seq !== state.seq) return; // a newer check is under way
  if (state.mode === "form") $("records-form")._collect(); // refresh the paths the problems refer to
  showProblems(payload);
  if (payload.ok) {
    state.lastData = payload.data || null;
    await preview(body, seq);
  } else {
    $("preview-status").textContent = "记录有问题，预览未更新";
  }
}

async function preview(body, seq) {
  $("preview-status").textContent = "正在更新…";
  const response = await post("/render?format=html", body);
  if (seq !== state.seq) return;
  if (!response.ok) { $("preview-status").textContent = "预览失败"; return; }
  // The HTML comes from summarykit's own writer, which escapes every text of the records.
  $("preview").innerHTML = await response.text();
  $("preview-status").textContent = "";
}

function changed() {
  clearTimeout(state.timer);
  state.timer = setTimeout(check, 400);
}

// ------------------------------------------------------------------ downloads, starters, import

function filenameFrom(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

async function download(format) {
  const status = $("download-status");
  status.textContent = format === "pdf" ? "正在生成 PDF（需要几秒钟）…" : "正在生成…";
  const response = await post(`/render?format=${format}`, currentRecords());
  if (!response.ok) {
    const payload = await response.json().catch(() => ({ message: "生成失败" }));
    status.textContent = payload.message || "生成失败";
    if (response.status === 422) showProblems(payload);
    return;
  }
  const blob = await response.blob();
  const name = filenameFrom(response, `工作总结.${format}`);
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  status.textContent = `已下载：${name}`;
}

async function loadYamlIntoPage(text) {
  $("yaml-text").value = text;
  const response = await post("/validate", { records: text });
  const payload = await response.json();
  if (payload.ok && payload.data) {
    if (payload.data.meta && payload.data.meta.template) $("template").value = payload.data.meta.template;
    buildForm(payload.data);
    setMode("form");
  } else {
    setMode("yaml");
  }
  changed();
}

async function useStarter() {
  const name = $("template").value;
  const response = await fetch(`/templates/${encodeURIComponent(name)}/starter`);
  await loadYamlIntoPage(await response.text());
}

async function importFile(file) {
  const status = $("import-status");
  status.textContent = `正在导入“${file.name}”…`;
  const form = new FormData();
  form.append("file", file);
  const response = await fetch("/import", { method: "POST", body: form });
  const payload = await response.json();
  if (!response.ok) {
    status.textContent = payload.message + (payload.problems || []).map((p) => "；" + p.message).join("");
    return;
  }
  status.textContent = `已导入“${file.name}”：请把去年的事实换成今年的。` +
    (payload.template ? `（建议模板：${payload.template}）` : "");
  if (payload.template) $("template").value = payload.template;
  await loadYamlIntoPage(payload.records);
}

// ------------------------------------------------------------------ starting from a workbook

function showSheetProblems(payload) {
  const list = $("sheet-problems");
  list.replaceChildren();
  for (const p of payload.problems || []) {
    // p.file is where in the workbook: "数据.xlsx 工作表“指标” C7"; p.path names the column or field.
    const where = [p.file, p.path].filter(Boolean).join(" ");
    const text = p.message + (p.hint ? `（${p.hint}）` : "");
    list.append(el("li", {}, el("span", { class: "where", text: where }), document.createTextNode(text)));
  }
}

async function importSheet(file, department) {
  state.sheetFile = file;
  if (!department) $("sheet-department-row").hidden = true; // a new file: its departments are not known yet
  const status = $("sheet-status");
  status.textContent = `正在读取“${file.name}”…`;
  status.className = "hint";
  $("sheet-problems").replaceChildren();
  const form = new FormData();
  form.append("file", file);
  if (department) form.append("department", department);
  let response, payload;
  try {
    response = await fetch("/import", { method: "POST", body: form });
    payload = await response.json();
  } catch (e) {
    payload = { ok: false, message: "无法连接服务：" + e, problems: [] };
  }
  if (!response || !response.ok) {
    const count = (payload.problems || []).length;
    status.textContent = count ? `表格“${file.name}”里有 ${count} 处问题，改好后保存，再上传一次：` : payload.message;
    status.className = "hint status bad";
    showSheetProblems(payload);
    return;
  }
  const names = payload.departments || [];
  const row = $("sheet-department-row");
  row.hidden = names.length < 2;
  if (names.length >= 2) {
    const select = $("sheet-department");
    select.replaceChildren(...names.map((n) => el("option", { value: n, text: n })));
    select.value = payload.department;
  }
  status.textContent = `已从表格“${file.name}”填好` + (payload.department ? `（部门：${payload.department}）` : "") +
    "：请核对，再补上文字。" + (names.length >= 2 ? `表格里共有 ${names.length} 个部门，可以在上面换一个。` : "");
  status.className = "hint status ok";
  if (payload.template && [...$("template").options].some((o) => o.value === payload.template)) {
    $("template").value = payload.template;
    describeTemplate();
  }
  await loadYamlIntoPage(payload.records);
}

function setMode(mode) {
  if (mode === state.mode) return;
  if (mode === "yaml" && state.mode === "form") {
    const data = currentRecords().records;
    if (Object.keys(data).length) $("yaml-text").value = toYaml(data) + "\n";
  }
  if (mode === "form" && state.mode === "yaml" && state.lastData) buildForm(state.lastData);
  state.mode = mode;
  $("tab-form").setAttribute("aria-selected", String(mode === "form"));
  $("tab-yaml").setAttribute("aria-selected", String(mode === "yaml"));
  $("records-form").hidden = mode !== "form";
  $("yaml-pane").hidden = mode !== "yaml";
  changed();
}

// The templates of the chosen organization type, and the general ones (any unit can use them).
function fillTemplates(offer) {
  const org = state.orgTypes.find((o) => o.name === $("org-type").value);
  const select = $("template");
  const keep = select.value;
  select.replaceChildren();
  for (const t of state.templates) {
    if (org && t.org_type !== org.title && t.org_type !== "通用") continue;
    select.append(el("option", { value: t.name, text: t.title }));
  }
  const has = (name) => [...select.options].some((o) => o.value === name);
  if (offer && org && has(org.template)) select.value = org.template;
  else if (has(keep)) select.value = keep;
  describeTemplate();
}

// Choosing 单位类型 above also fills the form's 单位类型 (meta.org_type), which decides the phrases.
function chooseOrgType() {
  fillTemplates(true);
  const org = state.orgTypes.find((o) => o.name === $("org-type").value);
  const field = document.querySelector('#records-form fieldset[data-key="meta"] > [data-key="org_type"]');
  if (org && field && field._set) field._set(org.title);
}

function describeTemplate() {
  const t = state.templates.find((x) => x.name === $("template").value);
  $("template-desc").textContent = t ? t.description : "";
}

async function start() {
  const [schema, templates] = await Promise.all([fetch("/schema").then((r) => r.json()),
    fetch("/templates").then((r) => r.json())]);
  state.schema = schema;
  state.templates = templates.templates;
  state.orgTypes = templates.org_types;
  for (const o of state.orgTypes) $("org-type").append(el("option", { value: o.name, text: o.title }));
  fillTemplates();
  buildForm(null);
  $("org-type").addEventListener("change", () => { chooseOrgType(); changed(); });
  $("template").addEventListener("change", () => { describeTemplate(); changed(); });
  $("records-form").addEventListener("input", changed);
  $("records-form").addEventListener("change", changed);
  $("yaml-text").addEventListener("input", changed);
  $("tab-form").addEventListener("click", () => setMode("form"));
  $("tab-yaml").addEventListener("click", () => setMode("yaml"));
  $("use-starter").addEventListener("click", useStarter);
  $("clear-form").addEventListener("click", () => {
    buildForm(null);
    $("yaml-text").value = "";
    state.sheetFile = null;
    $("sheet-department-row").hidden = true;
    $("sheet-status").textContent = "";
    $("sheet-problems").replaceChildren();
    changed();
  });
  $("import-file").addEventListener("change", (e) => { if (e.target.files[0]) importFile(e.target.files[0]); });
  $("sheet-file").addEventListener("change", (e) => {
    if (e.target.files[0]) importSheet(e.target.files[0], "");
    e.target.value = ""; // the same file chosen again (after fixing it in Excel) is read again
  });
  $("sheet-department").addEventListener("change", (e) => {
    if (state.sheetFile) importSheet(state.sheetFile, e.target.value);
  });
  $("download-docx").addEventListener("click", () => download("docx"));
  $("download-pdf").addEventListener("click", () => download("pdf"));
  document.body.dataset.ready = "true";
}

start();
