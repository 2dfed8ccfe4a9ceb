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
  // A dropped connection: Gradio's own toast ("Connection to the server was lost") is replaced by a
  // message in plain words under the question, which is still in its box (it is
  // emptied only once an answer is complete), until the next question is sent.
  const lost = () => {
    let p = document.getElementById('conn-lost');
    if (!p) {
      p = document.createElement('p');
      p.id = 'conn-lost';
      p.setAttribute('role', 'alert');
      const anchor = document.getElementById('new-conversation');
      anchor.parentNode.insertBefore(p, anchor);
    }
    p.textContent = 'The connection to faultdesk was lost before the answer arrived (the network ' +
      'dropped or the server stopped). Your question is still in the box: press Ask to send it again, ' +
      'or copy it and reload the page if Ask does not answer.';
  };
  const sent = () => { const p = document.getElementById('conn-lost'); if (p) p.remove(); };
  document.addEventListener('click', (e) => { if (e.target.closest && e.target.closest('#ask')) sent(); }, true);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && e.target.closest && e.target.closest('#question')) sent();
  }, true);
  setInterval(() => {  // Svelte fills the toast in after inserting it: look, rather than observe
    document.querySelectorAll('[data-testid="toast-body"]').forEach((t) => {
      if (!/Connection errored out|Connection to the server was lost/i.test(t.textContent)) return;
      t.remove();
      lost();
    });
  }, 300);
}
"""
