// Patchwork sandbox page: act as people in a fake Telegram and watch the real bot answer.
// Plain JavaScript, no build step. All text from the server is put in the page with
// textContent (never innerHTML), so nothing anyone types can run as code.
"use strict";

const $ = (id) => document.getElementById(id);

const state = {
  person: null,
  chat: null,
  view: null,
  lastChat: {},            // person id -> chat id they looked at last
  dismissedPrompts: new Set(),
  pressed: null,           // {message, data} of the last inline button pressed
  rendered: new Map(),     // message id -> {sig, node} of the open chat
  renderedChat: null,
  loading: false,
  dirty: false,
  timer: null,
  keyboardHidden: false,
};

// ---------------------------------------------------------------------------
// Talking to the sandbox

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(data.error || "Dat lukte niet.");
  }
  return data;
}

async function act(path, body) {
  try {
    return await api(path, body);
  } catch (error) {
    toast(error.message, { error: true });
    return null;
  }
}

function scheduleRefresh() {
  if (state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = null;
    refresh();
  }, 40);
}

async function refresh() {
  if (state.loading) {
    state.dirty = true;
    return;
  }
  state.loading = true;
  try {
    const asked = { person: state.person, chat: state.chat };
    const query = new URLSearchParams();
    if (asked.person) query.set("person", asked.person);
    if (asked.chat) query.set("chat", asked.chat);
    const response = await fetch("/api/view?" + query.toString());
    const view = response.ok ? await response.json() : null;
    if (asked.person !== state.person || asked.chat !== state.chat) {
      state.dirty = true; // the person chose another chat meanwhile: ask again
    } else if (view) {
      render(view);
    }
  } catch (error) {
    // The sandbox stopped or restarts; the event stream reconnects and asks again.
  } finally {
    state.loading = false;
    if (state.dirty) {
      state.dirty = false;
      scheduleRefresh();
    }
  }
}

function listen() {
  const events = new EventSource("/api/events");
  events.onopen = () => scheduleRefresh();
  events.onmessage = (event) => {
    const item = JSON.parse(event.data);
    if (item.kind === "toast") {
      if (item.person === state.person) {
        if (item.alert) alertBox(item.text);
        else toast(item.text);
      }
      return;
    }
    scheduleRefresh();
  };
}

// ---------------------------------------------------------------------------
// Rendering

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function initials(name) {
  return (name || "?").trim().slice(0, 1).toUpperCase();
}

const AVATAR_COLOURS = ["#0b5c47", "#7a3e00", "#1d4f91", "#7b2557", "#4b5320", "#5b3a8a", "#005f73"];

function avatar(name, id, icon) {
  const colour = AVATAR_COLOURS[Math.abs(Number(id) || 0) % AVATAR_COLOURS.length];
  const node = el("span", { class: "avatar", "aria-hidden": "true" }, icon || initials(name));
  node.style.background = colour;
  return node;
}

function render(view) {
  state.view = view;
  const keep = rememberFocus();
  state.person = view.person ? view.person.id : null;
  state.chat = view.chat ? view.chat.id : null;
  if (state.person && state.chat) state.lastChat[state.person] = state.chat;
  writeHash();
  renderStatus(view);
  renderPeople(view);
  renderChats(view);
  renderChat(view);
  restoreFocus(keep);
}

function renderStatus(view) {
  $("clock-label").textContent = view.clock.label + (view.clock.ahead_minutes ? " ⏩" : "");
  $("clock-button").hidden = !view.clock.movable;
  const status = $("status");
  status.hidden = view.status.ready && !view.status.text;
  status.textContent = view.status.text;
}

function renderPeople(view) {
  const list = $("people");
  list.replaceChildren(
    ...view.people.map((p) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "entry",
            "data-person": p.id,
            "aria-pressed": String(p.id === state.person),
            onclick: () => choosePerson(p.id),
          },
          avatar(p.name, p.id),
          el("span", { class: "name", text: p.name }),
          el("span", {}),
          el("span", { class: "sub", text: p.note || (p.language === "en" ? "Engelstalig" : "") })
        )
      )
    )
  );
  if (!view.people.length) {
    list.replaceChildren(el("li", { class: "empty", text: "Nog niemand. Voeg een persoon toe." }));
  }
}

function renderChats(view) {
  const list = $("chats");
  const name = view.person ? view.person.name : "";
  $("chats-heading").textContent = name ? "Chats van " + name : "Chats";
  list.replaceChildren(
    ...view.chats.map((c) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "entry",
            "data-chat": c.id,
            "aria-current": c.id === state.chat ? "true" : false,
            onclick: () => chooseChat(c.id),
          },
          avatar(c.title, c.id, c.type === "private" ? "🤖" : "👥"),
          el("span", { class: "name", text: c.title }),
          c.unread
            ? el("span", { class: "unread", "aria-label": c.unread + " nieuw", text: String(c.unread) })
            : el("span", { class: "time", text: c.time }),
          el("span", { class: "sub", text: c.preview || " " })
        )
      )
    )
  );
}

function about(chat) {
  const a = chat.about;
  if (chat.type === "private") {
    return a.started ? "Privégesprek met de bot" : "Je hebt nog niet met de bot gepraat. Tik op Start.";
  }
  const parts = [a.members + (a.members === 1 ? " lid" : " leden")];
  parts.push({ admin: "bot is beheerder", member: "bot doet mee", absent: "bot zit er niet in" }[a.bot]);
  if (a.roles.includes("admin")) parts.push("jij bent beheerder");
  return parts.join(" · ");
}

function renderChat(view) {
  const chat = view.chat;
  const list = $("messages");
  if (!chat) {
    $("chat-title").textContent = "Geen chat";
    $("chat-about").textContent = "";
    list.replaceChildren(el("li", { class: "empty", text: "Kies links een persoon." }));
    state.rendered.clear();
    state.renderedChat = null;
    setComposer(false);
    return;
  }
  $("chat-title").textContent = chat.title;
  $("chat-about").textContent = about(chat);
  const switched = state.renderedChat !== state.person + ":" + chat.id;
  if (switched) {
    list.replaceChildren();
    state.rendered.clear();
    state.renderedChat = state.person + ":" + chat.id;
  }
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 160;
  renderMessages(list, chat);
  const first = chat.type === "private" && !chat.about.started && !chat.messages.length;
  $("start-bar").hidden = !first;
  renderPrompt(chat);
  renderReplyKeyboard(chat);
  setComposer(chat.can_send, chat);
  if (switched || nearBottom) list.scrollTop = list.scrollHeight;
}

function renderMessages(list, chat) {
  const seen = new Set();
  let previousDay = null;
  let cursor = null;
  if (!chat.messages.length) {
    const hint = chat.type === "private" ? "Nog geen berichten. Tik op Start of typ /start." : "Nog geen berichten.";
    list.replaceChildren(el("li", { class: "empty", text: hint }));
    state.rendered.clear();
    return;
  }
  const empty = list.querySelector(".empty");
  if (empty) empty.remove();
  for (const message of chat.messages) {
    const dayBreak = message.day !== previousDay ? message.day : null;
    previousDay = message.day;
    const sig = JSON.stringify([message, dayBreak, chat.type]);
    let entry = state.rendered.get(message.id);
    if (!entry || entry.sig !== sig) {
      const node = messageNode(message, chat, dayBreak);
      if (entry) entry.node.replaceWith(node);
      entry = { sig, node };
      state.rendered.set(message.id, entry);
    }
    const expected = cursor ? cursor.nextSibling : list.firstChild;
    if (entry.node !== expected) list.insertBefore(entry.node, expected);
    cursor = entry.node;
    seen.add(message.id);
  }
  for (const [id, entry] of state.rendered) {
    if (!seen.has(id)) {
      entry.node.remove();
      state.rendered.delete(id);
    }
  }
}

function messageNode(message, chat, dayBreak) {
  const item = el("li", { "data-message": message.id });
  if (dayBreak) item.append(el("div", { class: "day", role: "separator", text: dayBreak }));
  if (message.service) {
    item.className = "msg";
    item.append(el("div", { class: "service", text: message.service }));
    return item;
  }
  const kind = message.own ? "own" : message.from.bot ? "bot" : "other";
  item.className = "msg " + kind;
  const bubble = el("div", { class: "bubble" });
  if (!message.own && (chat.type === "group" || !message.from.bot)) {
    bubble.append(el("div", { class: "sender", text: message.from.name }));
  } else {
    bubble.append(el("span", { class: "sr-only", text: message.own ? "Jij:" : message.from.name + ":" }));
  }
  if (message.forwarded) bubble.append(el("div", { class: "meta", text: "Doorgestuurd" }));
  if (message.reply_to) {
    bubble.append(
      el("div", { class: "quote" }, el("b", { text: message.reply_to.name }), message.reply_to.text)
    );
  }
  if (message.photo) bubble.append(el("div", { class: "text", text: "📷 Foto" }));
  if (message.voice) bubble.append(el("div", { class: "text", text: "🎤 Spraakbericht" }));
  if (message.document) bubble.append(documentLink(message.document));
  if (message.text !== null && message.text !== undefined) {
    bubble.append(formatted(message.text, message.entities, message.from.bot));
  } else if (message.caption) {
    bubble.append(formatted(message.caption, message.caption_entities, message.from.bot));
  }
  bubble.append(el("div", { class: "meta", text: message.time + (message.edited ? " · bewerkt" : "") }));
  item.append(bubble);
  if (message.buttons.length) item.append(inlineKeyboard(message));
  return item;
}

function documentLink(doc) {
  const size = doc.size > 1024 ? Math.round(doc.size / 1024) + " kB" : doc.size + " bytes";
  return el(
    "a",
    { class: "doc", href: doc.url, target: "_blank", rel: "noopener", download: doc.name },
    el("span", { "aria-hidden": "true", text: "📄" }),
    el("span", {}, doc.name, el("small", { text: "Openen · " + size }))
  );
}

// Telegram's entities (offsets in UTF-16 units, which is what JavaScript strings count).
function formatted(text, entities, fromBot) {
  const box = el("div", { class: "text" });
  const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
  build(box, text, 0, text.length, sorted, fromBot);
  return box;
}

function build(parent, text, start, end, entities, fromBot) {
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    if (entity.offset < position) {
      i += 1;
      continue;
    }
    if (entity.offset >= end) break;
    parent.append(text.slice(position, entity.offset));
    const stop = Math.min(entity.offset + entity.length, end);
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < stop) {
      inner.push(entities[j]);
      j += 1;
    }
    const node = entityNode(entity, text.slice(entity.offset, stop), fromBot);
    build(node, text, entity.offset, stop, inner, fromBot);
    parent.append(node);
    position = stop;
    i = j;
  }
  parent.append(text.slice(position, end));
}

function safeUrl(href) {
  try {
    const url = new URL(href, window.location.href);
    return ["http:", "https:", "mailto:", "tel:"].includes(url.protocol) ? url.href : null;
  } catch (error) {
    return null;
  }
}

function entityNode(entity, content, fromBot) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre");
    case "blockquote": return el("blockquote");
    case "spoiler": {
      const node = el("span", { class: "spoiler", tabindex: "0", role: "button", "aria-label": "Verborgen tekst, tik om te tonen" });
      const show = () => node.classList.add("shown");
      node.addEventListener("click", show);
      node.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") show(); });
      return node;
    }
    case "url":
    case "text_link": {
      const url = safeUrl(entity.type === "url" ? content : entity.url);
      if (!url) return el("span");
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank", onclick: (e) => followLink(e, url) });
    }
    case "bot_command":
      if (!fromBot) return el("span");
      return el("button", { type: "button", class: "cmd", onclick: () => sendText(content.split("@")[0]) });
    default:
      return el("span");
  }
}

function inlineKeyboard(message) {
  const box = el("div", { class: "inline-kb", role: "group", "aria-label": "Knoppen" });
  for (const row of message.buttons) {
    const line = el("div", { class: "kb-row" });
    for (const button of row) {
      if (button.url) {
        const url = safeUrl(button.url);
        line.append(
          el("button", {
            type: "button",
            class: "link-button",
            text: button.text,
            disabled: !url,
            onclick: (e) => followLink(e, url),
          })
        );
      } else {
        line.append(
          el("button", {
            type: "button",
            text: button.text,
            "data-callback": button.data,
            onclick: (e) => press(e.currentTarget, message.id, button.data),
          })
        );
      }
    }
    box.append(line);
  }
  return box;
}

function renderPrompt(chat) {
  const prompt = chat.prompt && !state.dismissedPrompts.has(chat.id + ":" + chat.prompt.message_id) ? chat.prompt : null;
  $("prompt").hidden = !prompt;
  $("prompt-text").textContent = prompt ? prompt.text : "";
  $("text").placeholder = (prompt && prompt.placeholder) || (chat.keyboard && chat.keyboard.placeholder) || "Typ een bericht";
  state.prompt = prompt;
}

function renderReplyKeyboard(chat) {
  const box = $("reply-keyboard");
  const rows = chat.keyboard ? chat.keyboard.rows : null;
  const toggle = $("keyboard-toggle");
  toggle.hidden = !rows;
  toggle.setAttribute("aria-expanded", String(!state.keyboardHidden));
  box.hidden = !rows || state.keyboardHidden;
  const sig = JSON.stringify(rows);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.replaceChildren(
    ...(rows || []).map((row) =>
      el(
        "div",
        { class: "kb-row" },
        ...row.map((text) =>
          el("button", { type: "button", text, onclick: () => sendText(text, { fromKeyboard: true }) })
        )
      )
    )
  );
}

function setComposer(enabled) {
  $("text").disabled = !enabled;
  $("send").disabled = !enabled;
}

// Keep keyboard focus where it was when the lists are redrawn.
function rememberFocus() {
  const active = document.activeElement;
  if (!active || active === document.body) return null;
  if (active.dataset.person) return { selector: `[data-person="${active.dataset.person}"]` };
  if (active.dataset.chat) return { selector: `[data-chat="${active.dataset.chat}"]` };
  return { element: active };
}

function restoreFocus(keep) {
  if (!keep) return;
  if (keep.selector) {
    const target = document.querySelector(keep.selector);
    if (target && document.activeElement !== target) target.focus();
    return;
  }
  if (document.body.contains(keep.element)) return;
  // The focused button went away (a wizard step replaced the message): go to the new buttons.
  const pressed = state.pressed
    ? document.querySelector(`[data-message="${state.pressed.message}"] .inline-kb button`)
    : null;
  if (pressed) pressed.focus();
  else if (!$("text").disabled) $("text").focus();
}

// ---------------------------------------------------------------------------
// Acting

function choosePerson(id) {
  state.person = id;
  state.chat = state.lastChat[id] || null;
  state.pressed = null;
  refresh();
}

function chooseChat(id) {
  state.chat = id;
  state.pressed = null;
  refresh();
}

async function press(button, messageId, data) {
  state.pressed = { message: messageId, data };
  button.setAttribute("aria-busy", "true");
  const done = await act("/api/press", { person: state.person, chat: state.chat, message: messageId, data });
  if (!done) button.removeAttribute("aria-busy");
  setTimeout(() => button.removeAttribute("aria-busy"), 1500);
}

async function followLink(event, url) {
  event.preventDefault();
  if (!url) return;
  const result = await act("/api/link", { person: state.person, url });
  if (!result) return;
  if (result.chat) {
    state.chat = result.chat;
    refresh();
    $("text").focus();
  } else if (result.external) {
    window.open(result.external, "_blank", "noopener,noreferrer");
  }
}

async function sendText(text, options = {}) {
  if (!state.person || !state.chat) return false;
  const body = { person: state.person, chat: state.chat, text };
  if (options.replyTo) body.reply_to = options.replyTo;
  if (options.fromKeyboard) body.from_keyboard = true;
  const result = await act("/api/send", body);
  if (result) scheduleRefresh();
  return Boolean(result);
}

async function submitComposer(event) {
  event.preventDefault();
  const box = $("text");
  const text = box.value.trim();
  if (!text) return;
  const replyTo = state.prompt ? state.prompt.message_id : null;
  if (await sendText(text, { replyTo })) {
    box.value = "";
    grow(box);
    box.focus();
  }
}

function grow(box) {
  box.style.height = "auto";
  box.style.height = Math.min(box.scrollHeight + 4, 220) + "px";
}

// ---------------------------------------------------------------------------
// Staging dialogs

function fillOptions(form) {
  const view = state.view;
  if (!view) return;
  for (const select of form.querySelectorAll("select[data-options]")) {
    const kind = select.dataset.options;
    let options = [];
    if (kind === "people") {
      options = view.people.map((p) => [p.id, p.name + (p.note ? " — " + p.note : "")]);
    } else {
      const groups = kind === "groups-without-bot" ? view.groups.filter((g) => !g.bot) : view.groups;
      options = groups.map((g) => [g.id, g.title]);
    }
    const current = kind === "people" ? state.person : state.chat;
    select.replaceChildren(
      ...options.map(([value, label]) => el("option", { value: String(value), text: label, selected: value === current }))
    );
    if (!options.length) select.replaceChildren(el("option", { value: "", text: "(nog geen)" }));
  }
}

async function submitDialog(form) {
  const data = Object.fromEntries(new FormData(form).entries());
  const action = form.dataset.action;
  const groupOf = (id) => state.view.groups.find((g) => String(g.id) === String(id));
  let result = null;
  if (action === "person") {
    result = await act("/api/people", { name: data.name, language: data.language, note: data.note });
    if (result) choosePerson(result.person);
  } else if (action === "group") {
    result = await act("/api/groups", { title: data.title, person: Number(data.person) });
    if (result) {
      state.person = Number(data.person);
      chooseChat(result.chat);
    }
  } else if (action === "member") {
    const group = groupOf(data.group);
    const by = group && group.admins.length ? group.admins[0] : null;
    result = await act("/api/members", { group: Number(data.group), person: Number(data.person), by });
  } else if (action === "admin") {
    result = await act("/api/admins", { group: Number(data.group), person: Number(data.person) });
  } else if (action === "bot") {
    result = await act("/api/bot", { group: Number(data.group), person: Number(data.person), admin: data.admin === "on" });
    if (result) {
      state.person = Number(data.person);
      chooseChat(result.chat);
    }
  } else if (action === "clock") {
    toast("De klok gaat vooruit…");
    result = await act("/api/clock", { minutes: Number(data.minutes) });
    if (result) toast("Het is nu " + result.clock.label + ".");
  }
  if (result) {
    if (action === "member" || action === "admin") toast("Gedaan.");
    scheduleRefresh();
  }
}

function setUpDialogs() {
  for (const opener of document.querySelectorAll("[data-dialog]")) {
    opener.addEventListener("click", () => {
      const dialog = $(opener.dataset.dialog);
      const form = dialog.querySelector("form");
      form.reset();
      fillOptions(form);
      dialog.returnFocus = opener;
      dialog.showModal();
    });
  }
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.addEventListener("close", () => {
      const form = dialog.querySelector("form[data-action]");
      if (form && dialog.returnValue === "ok") submitDialog(form);
      if (dialog.returnFocus) dialog.returnFocus.focus();
    });
  }
}

// ---------------------------------------------------------------------------
// Pop-ups

let toastTimer = null;

function toast(text, options = {}) {
  const box = $("toast");
  box.textContent = text;
  box.classList.toggle("error", Boolean(options.error));
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 5000);
}

function alertBox(text) {
  const dialog = $("dlg-alert");
  $("alert-text").textContent = text;
  dialog.returnFocus = document.activeElement;
  if (!dialog.open) dialog.showModal();
}

// ---------------------------------------------------------------------------
// Address bar: #person=…&chat=… keeps the choice on reload

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const person = Number(params.get("person"));
  const chat = Number(params.get("chat"));
  state.person = person || null;
  state.chat = chat || null;
}

function writeHash() {
  if (!state.person) return;
  const hash = "#person=" + state.person + (state.chat ? "&chat=" + state.chat : "");
  if (window.location.hash !== hash) history.replaceState(null, "", hash);
}

function start() {
  readHash();
  $("composer").addEventListener("submit", submitComposer);
  $("text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("text").addEventListener("input", (event) => grow(event.target));
  $("start-button").addEventListener("click", () => sendText("/start"));
  $("keyboard-toggle").addEventListener("click", () => {
    state.keyboardHidden = !state.keyboardHidden;
    if (state.view && state.view.chat) renderReplyKeyboard(state.view.chat);
  });
  $("prompt-cancel").addEventListener("click", () => {
    if (state.prompt) state.dismissedPrompts.add(state.chat + ":" + state.prompt.message_id);
    scheduleRefresh();
    $("text").focus();
  });
  if (window.matchMedia("(max-width: 820px)").matches) {
    document.querySelector(".stage").open = false; // phones: the staging tools fold away
    state.keyboardHidden = true; // and the bot's reply keyboard opens with the ⌨ button
  }
  setUpDialogs();
  listen();
  refresh();
}

document.addEventListener("DOMContentLoaded", start);
