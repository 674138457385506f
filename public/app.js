// Progressive enhancements only: every page works without this file.
// Loaded with the page's CSP nonce; no inline handlers anywhere.

// One submission per click: a second click on a form already sent does nothing.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.dataset.submitting === 'true') {
    event.preventDefault();
    return;
  }
  const confirmText = form.dataset.confirm;
  if (confirmText && !window.confirm(confirmText)) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = 'true';
  for (const button of form.querySelectorAll('button[type=submit]')) {
    button.setAttribute('aria-disabled', 'true');
    button.classList.add('is-busy');
  }
});

// Coming back with the browser's Back button restores a form from cache: make it usable again.
window.addEventListener('pageshow', () => {
  for (const form of document.querySelectorAll('form[data-submitting]')) {
    delete form.dataset.submitting;
    for (const button of form.querySelectorAll('.is-busy')) {
      button.classList.remove('is-busy');
      button.removeAttribute('aria-disabled');
    }
  }
});

// Close an open menu when clicking elsewhere.
document.addEventListener('click', (event) => {
  for (const menu of document.querySelectorAll('details.menu[open]')) {
    if (!menu.contains(event.target)) menu.removeAttribute('open');
  }
});
