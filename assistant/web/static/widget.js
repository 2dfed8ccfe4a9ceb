/*
 * faultdesk widget: a collapsible assistant panel for one asset, for an
 * operator-station page. Self-contained: no framework, no external assets.
 *
 *   <script src="http://HOST:PORT/widget.js" data-asset="P-3" data-token="fdk_..."></script>
 *
 * data-asset   the asset the questions and alerts are about (e.g. P-3)
 * data-token   an API token (`faultdesk token create --scope ask`)
 * data-poll    seconds between alert refreshes (default 15)
 *
 * The API base URL is derived from this script's own src, so a page on another
 * origin talks to the server that served the script (that origin must then be
 * listed in FAULTDESK_API_ORIGINS). The panel lives in a shadow root, so the
 * host page's styles do not leak in. Every text from the server (answers,
 * document passages, alert fields) is set with textContent, never as HTML.
 *
 * Keyboard: the toggle is a button (aria-expanded); Enter in the question
 * field asks; Escape closes the panel and returns focus to the toggle.
 *
 * Operator screens: the panel stays compact (at most 360 px wide and 55% of
 * the screen high, less on phones), and while it is open the page is narrowed
 * beside it (or, on a phone, may scroll its end above it), so it covers none
 * of the HMI values; a new
 * answer is scrolled to its start, not to its end; a slow answer shows what
 * is going on and for how long; when the connection drops the question stays
 * on screen (and back in the field) with what happened. Times carry their
 * time zone.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var api = new URL("api/v1/", script.src).href;
  var asset = script.dataset.asset || "";
  var token = script.dataset.token || "";
  var pollMs = 1000 * (Number(script.dataset.poll) || 15);
  var asked = [];  // earlier questions: follow-ups are read with them
  var busy = false;
  var NO_TOKEN = "This assistant is not set up on this screen yet. Ask your faultdesk administrator " +
                 "to connect it (it needs an access token).";
  var NO_ACCESS = "faultdesk did not accept this screen's access: its token is missing, expired or withdrawn. " +
                  "Ask your faultdesk administrator.";

  var CSS = [
    ":host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;",
    "  font: 14px/1.4 system-ui, sans-serif; color: #1b1f24; }",
    "button { font: inherit; cursor: pointer; }",
    "button:focus-visible, input:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }",
    ".toggle { display: flex; gap: 8px; align-items: center; margin-left: auto; padding: 10px 14px;",
    "  border: 0; border-radius: 22px; background: #0b5cad; color: #fff; box-shadow: 0 2px 8px #0005; }",
    ".badge { min-width: 20px; padding: 0 6px; border-radius: 10px; background: #c62828; font-weight: 700; }",
    ".badge[hidden] { display: none; }",
    ".panel { box-sizing: border-box; width: min(360px, calc(100vw - 32px)); max-height: min(55vh, 520px);",
    "  min-height: 0;",
    "  display: flex;",
    "  flex-direction: column; margin-bottom: 8px;",
    "  background: #fff; border: 1px solid #c5ccd6; border-radius: 10px; box-shadow: 0 4px 18px #0004; }",
    ".panel[hidden] { display: none; }",
    "header { display: flex; justify-content: space-between; align-items: center; padding: 8px 12px;",
    "  background: #0b5cad; color: #fff; border-radius: 10px 10px 0 0; }",
    "h2 { font-size: 15px; margin: 0; } h3 { font-size: 13px; margin: 0 0 4px; }",
    ".close { background: none; border: 0; color: #fff; font-size: 18px; }",
    ".alerts { padding: 8px 12px; border-bottom: 1px solid #e3e7ed; flex-shrink: 0; }",
    "header, form { flex-shrink: 0; }",
    ".alerts ul { list-style: none; margin: 0; padding: 0; }",
    ".alerts li { display: flex; justify-content: space-between; gap: 6px; padding: 3px 0; }",
    ".sev-alarm { color: #b71c1c; font-weight: 700; } .sev-warning { color: #a15c00; font-weight: 700; }",
    ".alerts li button { border: 1px solid #0b5cad; background: #fff; color: #0b5cad; border-radius: 4px; }",
    ".log { flex: 1; overflow-y: auto; padding: 8px 12px; }",
    ".msg { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".user { font-weight: 600; } .notice, .status { color: #5a6470; font-size: 12px; }",
    ".error { color: #b71c1c; } .cites { margin: 4px 0 0; padding: 0; list-style: none; font-size: 12px; }",
    "form { display: flex; gap: 6px; padding: 8px 12px; border-top: 1px solid #e3e7ed; }",
    "input { flex: 1; padding: 6px 8px; font: inherit; border: 1px solid #8a94a3; border-radius: 4px; }",
    "form button { border: 0; border-radius: 4px; background: #0b5cad; color: #fff; padding: 6px 12px; }",
    "form button:disabled { background: #8a94a3; }",
    ".sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }",
    ".progress { color: #5a6470; font-style: italic; }",
    ".status-line { color: #5a6470; font-size: 11px; margin: 2px 0 0; }",
    ".retry { border: 1px solid #0b5cad; background: #fff; color: #0b5cad; border-radius: 4px; margin-top: 4px; }",
    "@media (max-width: 480px) { :host { right: 8px; bottom: 8px; left: 8px; }",
    "  .panel { width: calc(100vw - 16px); max-height: 60vh; } .toggle { padding: 8px 12px; } }",
    "@media (max-height: 640px) { .panel { max-height: calc(100vh - 90px); } .alerts { max-height: 72px; overflow-y: auto; } }"
  ].join("\n");

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the DOM ---------------------------------------------------------------
  var host = el("div", { "class": "faultdesk-widget" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", {}, CSS));
  var label = "Assistant" + (asset ? " \u00b7 " + asset : "");
  var panel = el("section", { "class": "panel", id: "fd-panel", role: "region", "aria-label": "faultdesk " + label });
  panel.hidden = true;
  var header = el("header");
  header.appendChild(el("h2", {}, label));
  var close = el("button", { "class": "close", type: "button", "aria-label": "Close assistant" }, "\u00d7");
  header.appendChild(close);
  var alertsBox = el("div", { "class": "alerts", "aria-live": "polite" });
  alertsBox.appendChild(el("h3", {}, "Active alerts"));
  var alertList = el("ul", { "aria-label": "Active alerts" });
  alertsBox.appendChild(alertList);
  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var form = el("form");
  var inputId = "fd-question";
  form.appendChild(el("label", { "for": inputId, "class": "sr" }, "Question about " + (asset || "the equipment")));
  var input = el("input", { id: inputId, type: "text", autocomplete: "off", maxlength: "2000",
                            placeholder: "Ask about " + (asset || "a fault") + "\u2026" });
  var send = el("button", { type: "submit" }, "Ask");
  form.appendChild(input);
  form.appendChild(send);
  [header, alertsBox, log, form].forEach(function (n) { panel.appendChild(n); });
  var toggle = el("button", { "class": "toggle", type: "button", "aria-expanded": "false", "aria-controls": "fd-panel" });
  toggle.appendChild(el("span", {}, "Ask faultdesk" + (asset ? " \u00b7 " + asset : "")));
  var badge = el("span", { "class": "badge", "aria-label": "active alerts" });
  badge.hidden = true;
  toggle.appendChild(badge);
  root.appendChild(panel);
  root.appendChild(toggle);
  (document.body || document.documentElement).appendChild(host);

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    makeRoom();
    (open ? input : toggle).focus();
  }

  // The open panel gets its own strip of the screen instead of covering the station's values:
  // the page is narrowed beside it on a wide screen, and on a narrow one the page can scroll
  // its last values above it. Closed, the page is as it was.
  var page = document.documentElement, pageStyle = null;
  function makeRoom() {
    if (pageStyle === null) pageStyle = { right: page.style.marginRight, bottom: page.style.paddingBottom };
    page.style.marginRight = pageStyle.right;
    page.style.paddingBottom = pageStyle.bottom;
    if (panel.hidden) return;
    var box = panel.getBoundingClientRect();
    if (window.innerWidth - box.width - 32 >= 480) page.style.marginRight = Math.ceil(box.width + 32) + "px";
    else page.style.paddingBottom = Math.ceil(window.innerHeight - box.top + 8) + "px";
  }
  window.addEventListener("resize", makeRoom);
  if (window.ResizeObserver) new ResizeObserver(function () { makeRoom(); }).observe(panel);  // it grows with answers
  toggle.addEventListener("click", function () { setOpen(panel.hidden); });
  close.addEventListener("click", function () { setOpen(false); });
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { e.preventDefault(); setOpen(false); }
  });

  // -- the API -----------------------------------------------------------------
  function call(path, init) {
    init = init || {};
    init.headers = Object.assign({ Authorization: "Bearer " + token }, init.headers || {});
    return fetch(api + path, init);
  }

  async function errorOf(res) {
    try { return (await res.json()).error || res.statusText; } catch (e) { return res.status + " " + res.statusText; }
  }

  // -- alerts --------------------------------------------------------------------
  async function refreshAlerts() {
    var res;
    try {
      res = await call("alerts?active=true&asset=" + encodeURIComponent(asset));
    } catch (e) {
      return showAlertStatus("alerts unavailable (server unreachable)", true);
    }
    if (res.status === 401 || res.status === 403) return showAlertStatus(NO_ACCESS, false);
    if (!res.ok) return showAlertStatus(await errorOf(res), true);
    renderAlerts(await res.json());
    setTimeout(refreshAlerts, pollMs);
  }

  function showAlertStatus(text, retry) {
    alertList.replaceChildren(el("li", { "class": "status" }, text));
    if (retry) setTimeout(refreshAlerts, pollMs);
  }

  function renderAlerts(alerts) {
    badge.hidden = alerts.length === 0;
    badge.textContent = String(alerts.length);
    if (!alerts.length) return alertList.replaceChildren(el("li", { "class": "status" }, "none"));
    alertList.replaceChildren.apply(alertList, alerts.map(function (a) {
      var li = el("li");
      var text = el("span");
      text.appendChild(el("span", { "class": "sev-" + a.severity }, String(a.severity).toUpperCase()));
      var tags = a.top_signals && a.top_signals.length ? a.top_signals : a.signals;
      // readable names with units ("drive-end bearing vibration (bearing_de_rms, mm/s)"), not raw tags
      var signals = tags.map(function (t) { return (a.signal_labels || {})[t] || t; }).join(", ");
      var since = when(a.started);
      text.appendChild(document.createTextNode(" " + signals + " since " + since));
      var btn = el("button", { type: "button" }, "Ask");
      btn.setAttribute("aria-label", "Ask about the " + a.severity + " alert on " + signals);
      btn.addEventListener("click", function () {
        ask("What should I check on " + a.asset + ": " + a.severity + " alert, abnormal " + signals + "?");
      });
      li.appendChild(text);
      li.appendChild(btn);
      return li;
    }));
  }

  function when(seconds) {
    // e.g. "14/03/2024, 10:38 UTC" (the browser's own zone, named)
    return new Date(seconds * 1000).toLocaleString(undefined, {
      year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  }

  var BACKENDS = { extractive: "quoted from the manuals", local: "written by the local model from the manuals",
                   openai: "written by the model server from the manuals" };

  // -- questions -------------------------------------------------------------------
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    if (q && !busy) { input.value = ""; ask(q); }
  });

  function where(c) {
    var name = String(c.source).split(/[\\/]/).pop();
    return "[" + c.n + "] " + name + (c.page ? " p." + c.page : "") + (c.section ? " \u2014 " + c.section : "");
  }

  function showAnswer(box, text, answer) {
    text.textContent = answer.answer;
    if (answer.citations.length) {
      var list = el("ul", { "class": "cites", "aria-label": "Sources" });
      answer.citations.forEach(function (c) { list.appendChild(el("li", {}, where(c))); });
      box.appendChild(list);
    }
    answer.notices.forEach(function (n) { box.appendChild(el("p", { "class": "notice" }, n)); });
    box.appendChild(el("p", { "class": "status-line" }, BACKENDS[answer.backend] || ("answered by " + answer.backend)));
  }

  function showStart(node) {
    // the start of a new answer (its question) at the top of the log, not its end
    log.scrollTop = Math.max(0, node.offsetTop - log.offsetTop - 4);
  }

  function lost(box, question, what) {
    box.appendChild(el("p", { "class": "error" }, what + " Your question is kept above; press Ask to send it again."));
    if (!input.value) input.value = question;
  }

  async function ask(question) {
    if (busy) return;
    if (panel.hidden) setOpen(true);
    busy = true;
    send.disabled = true;
    log.setAttribute("aria-busy", "true");
    var mine = el("p", { "class": "msg user" }, question);
    log.appendChild(mine);
    var box = el("div", { "class": "msg bot" });
    var text = el("p", { "class": "text progress" }, "Looking in the manuals\u2026");
    box.appendChild(text);
    log.appendChild(box);
    showStart(mine);
    var started = Date.now();
    var ticker = setInterval(function () {  // a sign of life until the first words arrive
      if (!text.classList.contains("progress")) return clearInterval(ticker);
      var s = Math.round((Date.now() - started) / 1000);
      text.textContent = (s < 15 ? "Looking in the manuals\u2026 " : "Still working (the first answer after a start takes longer)\u2026 ") + s + " s";
    }, 1000);
    try {
      await stream(question, box, text);
    } catch (e) {
      text.textContent = "";
      lost(box, question, "The connection to faultdesk was lost before the answer arrived (" + e.message + ").");
    } finally {
      clearInterval(ticker);
      text.classList.remove("progress");
      busy = false;
      send.disabled = false;
      log.removeAttribute("aria-busy");
      showStart(mine);
    }
  }

  async function stream(question, box, text) {
    var res = await call("ask", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, asset: asset || null, history: asked.slice(-4), stream: true })
    });
    if (!res.ok) {
      text.textContent = "";
      text.classList.remove("progress");
      var why = res.status === 401 || res.status === 403 ? NO_ACCESS : await errorOf(res);
      return box.appendChild(el("p", { "class": "error" }, why));
    }
    var reader = res.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "", streamed = "", finished = false;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var ev = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (ev.event === "token") {
          streamed += ev.data.text;
          text.classList.remove("progress");
          text.textContent = streamed;
        } else if (ev.event === "done") {
          asked.push(question);
          finished = true;
          showAnswer(box, text, ev.data);
        } else if (ev.event === "error") {
          text.textContent = "";
          box.appendChild(el("p", { "class": "error" }, ev.data.error));
          finished = true;
        }
      }
    }
    if (!finished) lost(box, question, "The connection to faultdesk dropped while the answer was coming in.");
  }

  function parseEvent(frame) {
    var event = "message", data = [];
    frame.split("\n").forEach(function (line) {
      if (line.indexOf("event:") === 0) event = line.slice(6).trim();
      else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
    });
    return { event: event, data: data.length ? JSON.parse(data.join("\n")) : null };
  }

  if (!token) {
    showAlertStatus(NO_TOKEN, false);
    input.disabled = true;
    send.disabled = true;
    input.placeholder = "Not set up yet";
  }
  else refreshAlerts();
})();
