"""The page scripts of the Gradio UI (``assistant.web.ui``), kept apart from
its layout."""

# Runs once when the page loads (Gradio's ``js``): [n] links open and show
# their source card; below 1280 px the sidebar starts closed; the page
# starts at the top (nothing scrolls the tabs away).
JS = """
() => {
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#src-"]');
    if (!a) return;
    e.preventDefault(); e.stopPropagation();
    const card = document.getElementById(a.getAttribute('href').slice(1));
    if (!card) return;
    const btn = card.querySelector('button.label-wrap');
    if (btn && !btn.classList.contains('open')) btn.click();
    const show = () => card.scrollIntoView({block: 'start'});
    show();
    setTimeout(show, 120);  // again once the opened card has its height
    setTimeout(show, 400);
    card.classList.add('flash');
    setTimeout(() => card.classList.remove('flash'), 1600);
  }, true);
  const narrow = () => window.innerWidth < """ + "1280" + """;
  let tries = 0;
  const close = () => {
    const toggle = document.querySelector('button[aria-label="Toggle Sidebar"]');
    const bar = document.querySelector('.sidebar');
    if (!toggle || !bar) { if (tries++ < 50) setTimeout(close, 100); return; }
    if (narrow() && bar.classList.contains('open')) toggle.click();
    document.body.dataset.sidebarReady = '1';
  };
  close();
  window.scrollTo(0, 0);
  // A dropped connection. Gradio shows a toast ("Connection to the server was lost"), then ignores
  // every event of the page (Ask does nothing) and reloads the page once the server answers again,
  // which empties the chat and the question box. So: the toast is replaced by a message in plain
  // words under the question, which stays in its box; the question is kept in sessionStorage so
  // that it is back in the box after that reload; Ask pressed while the connection is lost checks
  // the server and, once it answers, reloads the page itself and sends the question again.
  const KEY = 'faultdesk-pending-question';
  const box = () => document.querySelector('#question textarea');
  const say = (text) => {
    let p = document.getElementById('conn-lost');
    if (!p) {
      p = document.createElement('p');
      p.id = 'conn-lost';
      p.setAttribute('role', 'alert');
      const anchor = document.getElementById('new-conversation');
      anchor.parentNode.insertBefore(p, anchor);
    }
    p.textContent = text;
  };
  let isLost = false;
  let sending = null;  // the question last sent: still in its box until its answer is complete
  const keep = (send) => {
    const q = box() ? box().value : '';
    if (q.trim()) sessionStorage.setItem(KEY, JSON.stringify({q, send, at: Date.now()}));
  };
  const lost = () => {
    if (isLost) return;
    isLost = true;
    document.body.dataset.connLost = '1';  // for tests and styles: the page knows
    keep(box() !== null && box().value === sending);  // a question on its way is sent again
    say(box() && box().value.trim()
      ? 'The connection to faultdesk was lost before the answer arrived (the network dropped or the ' +
        'server stopped). Your question is still in the box: press Ask to send it again once the ' +
        'connection is back.'
      : 'The connection to faultdesk was lost (the network dropped or the server stopped). Press Ask ' +
        'to send a question once it is back.');
  };
  const resend = async () => {
    keep(true);
    say('Checking the connection to faultdesk…');
    try {
      const r = await fetch(window.location.pathname.replace(/[^/]*$/, '') + 'gradio_api/app_id?check=resend',
                            {cache: 'no-store'});
      // any answer of the server will do: after a restart it asks for the login (401) first
      if (r.status < 500) { window.location.reload(); return; }
    } catch (err) { /* still unreachable */ }
    say('faultdesk still cannot be reached (the network or the server is down). Your question is ' +
        'kept in the box: press Ask again in a moment.');
  };
  const sent = (e) => {
    if (isLost) { e.preventDefault(); e.stopImmediatePropagation(); resend(); return; }
    sessionStorage.removeItem(KEY);
    sending = box() ? box().value : null;
    const p = document.getElementById('conn-lost'); if (p) p.remove();
  };
  document.addEventListener('click', (e) => { if (e.target.closest && e.target.closest('#ask')) sent(e); }, true);
  document.addEventListener('input', (e) => {  // typed while the connection is lost: kept too
    if (isLost && e.target.closest && e.target.closest('#question')) {
      let kept = null;
      try { kept = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (err) { kept = null; }
      keep(Boolean(kept && kept.send && kept.q === box().value));
    }
  }, true);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && e.target.closest && e.target.closest('#question')) sent(e);
  }, true);
  setInterval(() => {  // Svelte fills the toast in after inserting it: look, rather than observe
    document.querySelectorAll('[data-testid="toast-body"]').forEach((t) => {
      if (!/Connection errored out|Connection to the server was lost/i.test(t.textContent)) return;
      t.remove();
      lost();
    });
  }, 300);
  // After a reload (Gradio's or ours): the kept question back in its box, sent if Ask asked for it.
  let pending = null;
  try { pending = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (err) { pending = null; }
  if (pending && Date.now() - pending.at < 30 * 60 * 1000) {
    let waits = 0;
    const restore = () => {
      const ta = box(), ask = document.getElementById('ask');
      if (!ta || !ask) { if (waits++ < 100) setTimeout(restore, 100); return; }
      ta.value = pending.q;
      ta.dispatchEvent(new Event('input', {bubbles: true}));
      const gone = ' Earlier answers of this conversation are no longer shown.';
      if (pending.send) {
        setTimeout(() => {
          ask.click();  // the capture listener above clears the kept question
          say('The connection to faultdesk is back: your question was sent again.' + gone);
        }, 200);  // Svelte takes the restored value first
      } else {
        say('The connection to faultdesk came back and the page was reloaded. Your question is back ' +
            'in the box: press Ask to send it.' + gone);
      }
    };
    restore();
  } else {
    sessionStorage.removeItem(KEY);
  }
}
"""
